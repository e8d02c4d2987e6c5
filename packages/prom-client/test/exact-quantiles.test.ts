import { describe, expect, it } from 'vitest';
import { AggregatorRegistry, sketchesOf } from '../src/aggregator-registry.js';
import { setExactQuantiles, type WorkerAnswer } from '../src/exact-quantiles.js';
import { Registry, SUMMARY_SNAPSHOTS } from '../src/registry.js';
import { Summary } from '../src/summary.js';
import type { MetricData } from '../src/types.js';

// What a facade worker sends its primary, built in-process and passed through JSON as cluster IPC
// does: getMetricsAsJSON() answers and the summaries' sketches, as aggregator-registry.ts's
// worker listener builds them.
async function worker(
  values: number[],
  { percentiles = [0.5, 0.99], defaults = { app: 'api' } as Record<string, unknown> } = {},
): Promise<{ metrics: MetricData[][]; sketches: unknown[] }> {
  const registry = new Registry();
  registry.setDefaultLabels(defaults);
  const summary = new Summary({
    name: 'latency',
    help: 'Latency.',
    labelNames: ['route', 'method'],
    percentiles,
    registers: [registry],
  });
  for (const value of values) summary.observe({ route: '/a' }, value);
  const metrics = [await registry.getMetricsAsJSON()] as unknown as MetricData[][];
  return JSON.parse(JSON.stringify({ metrics, sketches: registry[SUMMARY_SNAPSHOTS]() }));
}

function quantile(families: MetricData[], q: number): number | undefined {
  const values = (families[0]?.values ?? []) as {
    value: number;
    labels: Record<string, unknown>;
  }[];
  return values.find((v) => v.labels['quantile'] === q)?.value;
}

async function aggregate(answers: WorkerAnswer[]) {
  const registry = AggregatorRegistry.aggregate(answers.flatMap((answer) => answer.metrics));
  const families = (await registry.getMetricsAsJSON()) as unknown as MetricData[];
  setExactQuantiles(families, answers);
  return families;
}

const low = Array.from({ length: 100 }, (_, i) => 1 + i / 100);
const high = Array.from({ length: 100 }, (_, i) => 100 + i);
// The true quantile of both workers' observations (nearest rank, as the sketch defines it).
const both = [...low, ...high].sort((a, b) => a - b);
const pooled = (families: MetricData[], q: number) => {
  const truth = both[Math.ceil(q * both.length) - 1] as number;
  expect(Math.abs((quantile(families, q) as number) - truth) / truth, `p${q}`).toBeLessThan(0.01);
};

describe('setExactQuantiles', () => {
  it('matches sketches to series with partial labels and default labels', async () => {
    const families = await aggregate([await worker(low), await worker(high)]);
    // Pooled, the median is the largest of the low values (rank 100 of 200), not 1.5 + 149.5.
    pooled(families, 0.5);
    expect(families[0]?.values?.[0]?.labels).toEqual({ quantile: 0.5, route: '/a', app: 'api' });
  });

  it('matches default labels the way JSON sends them (undefined, a Date, NaN)', async () => {
    const defaults = { region: undefined, since: new Date(0), ratio: Number.NaN };
    const families = await aggregate([
      await worker(low, { defaults }),
      await worker(high, { defaults }),
    ]);
    pooled(families, 0.5);
  });

  it('pools every percentile any worker lists, whichever answered first', async () => {
    for (const order of [0, 1]) {
      const answers = [await worker(low), await worker(high, { percentiles: [0.5, 0.9] })];
      if (order === 1) answers.reverse();
      const families = await aggregate(answers);
      pooled(families, 0.5);
      pooled(families, 0.9);
      pooled(families, 0.99);
    }
  });

  it("keeps prom-client's summed quantiles when a sketch is invalid", async () => {
    const a = await worker(low);
    const b = await worker(high);
    (b.sketches as { series: { sketch: { count: number } }[] }[])[0]!.series[0]!.sketch.count = -1;
    expect(quantile(await aggregate([a, b]), 0.5)).toBeGreaterThan(100);
  });

  it('ignores sketches that are not summaries, and never throws on them', async () => {
    for (const sketches of [[null], {}, 'x', [{ name: 'latency', type: 'counter', series: [] }]]) {
      const a = await worker(low);
      const b = { ...(await worker(high)), sketches };
      expect(quantile(await aggregate([a, b]), 0.5)).toBeGreaterThan(100);
    }
  });

  it("keeps prom-client's values when a worker's sketches do not match its reports", async () => {
    // No sketch for the summary it reported (a worker on prom-client itself).
    const a = await worker(low);
    expect(
      quantile(await aggregate([a, { ...(await worker(high)), sketches: [] }]), 0.5),
    ).toBeGreaterThan(100);
    // A sketch for a summary it did not report (created while the worker answered): the other
    // worker's sketch must not make up for the missing one.
    const late = await worker([5000]);
    const families = await aggregate([
      { metrics: [[]], sketches: late.sketches },
      { ...(await worker(high)), sketches: [] },
    ]);
    expect(quantile(families, 0.5)).toBeGreaterThan(100);
    expect(quantile(families, 0.5)).toBeLessThan(5000);
  });

  it("a worker sends no sketches when a registry cannot give them (another copy's)", async () => {
    const registry = new Registry();
    new Summary({ name: 's', help: 'S.', registers: [registry] }).observe(1);
    expect(sketchesOf([registry])).toHaveLength(1);
    expect(sketchesOf([registry, {} as Registry])).toEqual([]);
  });
});
