import { describe, expect, it } from 'vitest';
import { AggregatorRegistry, sketchesOf } from '../src/aggregator-registry.js';
import { setExactQuantiles } from '../src/exact-quantiles.js';
import { Registry, SUMMARY_SNAPSHOTS } from '../src/registry.js';
import { Summary } from '../src/summary.js';
import type { MetricData } from '../src/types.js';

// What a facade worker sends its primary, built in-process: getMetricsAsJSON() answers and the
// summaries' sketches, as aggregator-registry.ts's worker listener builds them.
async function worker(values: number[], percentiles = [0.5, 0.99]) {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'api' });
  const summary = new Summary({
    name: 'latency',
    help: 'Latency.',
    labelNames: ['route', 'method'],
    percentiles,
    registers: [registry],
  });
  for (const value of values) summary.observe({ route: '/a' }, value);
  const answer = (await registry.getMetricsAsJSON()) as unknown as MetricData[];
  return { answer, sketches: JSON.parse(JSON.stringify(registry[SUMMARY_SNAPSHOTS]())) };
}

function quantile(families: MetricData[], q: number): number | undefined {
  const values = (families[0]?.values ?? []) as {
    value: number;
    labels: Record<string, unknown>;
  }[];
  return values.find((v) => v.labels['quantile'] === q)?.value;
}

async function aggregate(workers: Awaited<ReturnType<typeof worker>>[]) {
  const answers = workers.map((w) => w.answer);
  const registry = AggregatorRegistry.aggregate(answers);
  const families = (await registry.getMetricsAsJSON()) as unknown as MetricData[];
  await setExactQuantiles(
    families,
    answers,
    workers.flatMap((w) => w.sketches),
  );
  return families;
}

const low = Array.from({ length: 100 }, (_, i) => 1 + i / 100);
const high = Array.from({ length: 100 }, (_, i) => 100 + i);

describe('setExactQuantiles', () => {
  it('matches sketches to series with partial labels and default labels', async () => {
    const families = await aggregate([await worker(low), await worker(high)]);
    const p50 = quantile(families, 0.5) as number;
    // Pooled, the median is the largest of the low values (rank 100 of 200): ~1.99, not 1.5 + 149.5.
    expect(Math.abs(p50 - 1.99) / 1.99).toBeLessThan(0.01);
    expect(families[0]?.values?.[0]?.labels).toEqual({ quantile: 0.5, route: '/a', app: 'api' });
  });

  it("keeps prom-client's summed quantiles when a sketch is invalid", async () => {
    const a = await worker(low);
    const b = await worker(high);
    b.sketches[0].series[0].sketch.count = -1;
    const families = await aggregate([a, b]);
    expect(quantile(families, 0.5)).toBeGreaterThan(100);
  });

  it("pools the percentiles of the first worker's list; others keep prom-client's values", async () => {
    const families = await aggregate([await worker(low), await worker(high, [0.5, 0.9])]);
    expect(Math.abs((quantile(families, 0.5) as number) - 1.99) / 1.99).toBeLessThan(0.01);
    // p99 is asked by the first worker only: pooled over both workers' observations.
    expect(Math.abs((quantile(families, 0.99) as number) - 198) / 198).toBeLessThan(0.01);
    // p90 is not in the first worker's list: the second worker's own, as prom-client shows it.
    expect(quantile(families, 0.9)).toBeGreaterThan(180);
  });

  it('keeps them when a worker sent no sketch for the summary', async () => {
    const a = await worker(low);
    const b = await worker(high);
    b.sketches = [];
    const families = await aggregate([a, b]);
    expect(quantile(families, 0.5)).toBeGreaterThan(100);
  });

  it("a worker sends no sketches when a registry cannot give them (another copy's)", async () => {
    const { sketches } = await worker(low);
    expect(sketches).toHaveLength(1);
    const registry = new Registry();
    new Summary({ name: 's', help: 'S.', registers: [registry] }).observe(1);
    expect(sketchesOf([registry])).toHaveLength(1);
    expect(sketchesOf([registry, {} as Registry])).toEqual([]);
  });
});
