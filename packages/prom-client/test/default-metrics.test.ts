import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// collectDefaultMetrics against prom-client 15.1.3's: the same families, in the same order, with
// the same help, type, cluster aggregator and label placement; values are the process's own.
const require = createRequire(import.meta.url);
type PromClient = typeof import('prom-client');
const original = require('prom-client') as PromClient;
const facade = require('../dist/index.cjs') as PromClient;

async function families(client: PromClient) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'app_', labels: { pod: 'a' } });
  return registry.getMetricsAsJSON();
}

describe('collectDefaultMetrics', () => {
  it("registers prom-client's families, in its order, with its help texts and aggregators", async () => {
    const [expected, actual] = [await families(original), await families(facade)];
    const shape = (list: Awaited<ReturnType<typeof families>>) =>
      list.map(({ name, help, type, aggregator }) => ({ name, help, type, aggregator }));
    expect(shape(actual)).toEqual(shape(expected));
  });

  it("puts the `labels` option after a series' own labels, as prom-client", async () => {
    const registry = new facade.Registry();
    facade.collectDefaultMetrics({ register: registry, labels: { pod: 'a' } });
    const text = await registry.metrics();
    expect(text).toMatch(/\nnodejs_heap_space_size_used_bytes\{space="[a-z_]+",pod="a"\} \d+/);
    expect(text).toMatch(
      /\nnodejs_version_info\{version="v[\d.]+",major="\d+",minor="\d+",patch="\d+",pod="a"\} 1/,
    );
  });

  it('reads the CPU counters on the first scrape (one collect feeds all three)', async () => {
    const registry = new facade.Registry();
    facade.collectDefaultMetrics({ register: registry });
    let spin = 0;
    for (let i = 0; i < 2_000_000; i++) spin += Math.sqrt(i);
    expect(spin).toBeGreaterThan(0);
    const json = await registry.getMetricsAsJSON();
    const value = (name: string) => json.find((m) => m.name === name)?.values[0]?.value ?? 0;
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value('process_cpu_seconds_total')).toBeCloseTo(
      value('process_cpu_user_seconds_total') + value('process_cpu_system_seconds_total'),
      6,
    );
  });

  it("throws prom-client's errors: a second call for one registry, a bad config", () => {
    const registry = new facade.Registry();
    facade.collectDefaultMetrics({ register: registry });
    expect(() => facade.collectDefaultMetrics({ register: registry })).toThrow(
      'A metric with the name process_cpu_user_seconds_total has already been registered.',
    );
    expect(() => facade.collectDefaultMetrics('x' as never)).toThrow(
      new TypeError('config must be null, undefined, or an object'),
    );
    expect(facade.collectDefaultMetrics.metricsList).toEqual(
      original.collectDefaultMetrics.metricsList,
    );
  });
});
