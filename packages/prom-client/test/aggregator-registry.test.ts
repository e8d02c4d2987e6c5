import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// AggregatorRegistry.aggregate over workers' getMetricsAsJSON() answers, against prom-client's.
const require = createRequire(import.meta.url);
type PromClient = typeof import('prom-client');
const original = require('prom-client') as PromClient;
const facade = require('../dist/index.cjs') as PromClient;

async function worker(client: PromClient, n: number) {
  const registry = new client.Registry();
  new client.Counter({
    name: 'jobs_total',
    help: 'Jobs.',
    labelNames: ['kind'],
    registers: [registry],
  }).inc({ kind: 'email' }, n);
  new client.Gauge({ name: 'depth', help: 'Depth.', aggregator: 'max', registers: [registry] }).set(
    n,
  );
  new client.Gauge({
    name: 'started',
    help: 'Start.',
    aggregator: 'omit',
    registers: [registry],
  }).set(n);
  const h = new client.Histogram({ name: 'h', help: 'H.', buckets: [1, 2], registers: [registry] });
  h.observe(n);
  return registry.getMetricsAsJSON();
}

describe('AggregatorRegistry', () => {
  it('aggregates workers as prom-client does', async () => {
    const texts = [];
    for (const client of [original, facade]) {
      const answers = [await worker(client, 1), await worker(client, 2)];
      texts.push(await client.AggregatorRegistry.aggregate(answers).metrics());
    }
    expect(texts[1]).toBe(texts[0]);
    expect(texts[1]).toContain('jobs_total{kind="email"} 3');
    expect(texts[1]).toContain('depth 2');
    expect(texts[1]).not.toContain('started');
  });

  it("throws prom-client's errors for an unknown aggregator and a non-registry", () => {
    expect(() =>
      facade.AggregatorRegistry.aggregate([
        [{ name: 'x', help: 'x', type: 'gauge', values: [], aggregator: 'median' }],
      ]),
    ).toThrow("'median' is not a defined aggregator.");
    expect(() => facade.AggregatorRegistry.setRegistries([{}] as never)).toThrow(
      new TypeError('Expected Registry, got object'),
    );
  });

  it('answers no text when the primary has no workers', async () => {
    await expect(new facade.AggregatorRegistry().clusterMetrics()).resolves.toBe('');
  });
});
