import { describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

const START = 1_700_000_000_000;

function sampleLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('metric.clear()', () => {
  it('leaves an unlabelled histogram without series until its next observation', async () => {
    const clock = manualClock(START);
    const registry = new Registry({ clock });
    const histogram = registry.histogram({ name: 'h', help: 'H.', buckets: [1] });
    histogram.observe(0.5);
    histogram.clear();
    expect(await registry.metrics()).toBe('# HELP h H.\n# TYPE h histogram\n');
    expect(histogram.get()).toBeUndefined();
    expect(histogram.seriesCount).toBe(0);
    expect(registry.snapshot().metrics[0]?.series).toEqual([]);
    clock.advance(2_000);
    histogram.observe(2);
    expect(sampleLines(await registry.metrics({ format: 'openmetrics' }))).toEqual([
      'h_bucket{le="1.0"} 0',
      'h_bucket{le="+Inf"} 1',
      'h_sum 2',
      'h_count 1',
      'h_created 1700000002',
    ]);
    expect(histogram.seriesCount).toBe(1);
  });

  it('empties every kind of metric, labelled or not; each comes back at zero on its next write', async () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.' });
    const gauge = registry.gauge({ name: 'g', help: 'G.' });
    const summary = registry.summary({ name: 's', help: 'S.', quantiles: [0.5] });
    const labelled = registry.counter({ name: 'l_total', help: 'L.', labelNames: ['k'] });
    counter.inc(5);
    gauge.set(3);
    summary.observe(1);
    labelled.inc({ k: 'a' });
    for (const metric of registry.getAll()) metric.clear();
    expect(sampleLines(await registry.metrics())).toEqual([]);
    expect([counter.get(), gauge.get(), labelled.get({ k: 'a' })]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(registry.getAll().map((metric) => metric.seriesCount)).toEqual([0, 0, 0, 0]);
    counter.inc();
    gauge.inc(2);
    summary.observe(4);
    labelled.inc({ k: 'b' });
    expect(sampleLines(await registry.metrics())).toEqual([
      'c_total 1',
      'g 2',
      's{quantile="0.5"} 4',
      's_sum 4',
      's_count 1',
      'l_total{k="b"} 1',
    ]);
  });

  it('lets bound children of removed series write again, re-creating them', async () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.' });
    const sole = counter.labels({});
    sole.inc(2);
    const labelled = registry.histogram({ name: 'h', help: 'H.', buckets: [1], labelNames: ['k'] });
    const child = labelled.labels({ k: 'a' });
    child.observe(0.5);
    counter.clear();
    labelled.clear();
    expect(sampleLines(await registry.metrics())).toEqual([]);
    sole.inc();
    child.observe(3);
    expect(counter.get()).toBe(1);
    expect(labelled.get({ k: 'a' })).toEqual({ count: 1, sum: 3, counts: [0, 1] });
    expect(counter.labels({})).toBe(sole);
    // Cleared twice, and the child still finds its way back.
    counter.clear();
    counter.clear();
    sole.inc(3);
    expect(sampleLines(await registry.metrics())).toEqual([
      'c_total 3',
      'h_bucket{k="a",le="1"} 0',
      'h_bucket{k="a",le="+Inf"} 1',
      'h_sum{k="a"} 3',
      'h_count{k="a"} 1',
    ]);
  });

  it('is undone by reset(), which brings an unlabelled series back at zero', async () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'g', help: 'G.' });
    gauge.set(4);
    gauge.clear();
    gauge.reset();
    expect(gauge.get()).toBe(0);
    expect(sampleLines(await registry.metrics())).toEqual(['g 0']);
  });

  it('lets a collect callback fill the metric again', async () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'g', help: 'G.', collect: (g) => g.set(9) });
    await registry.metrics();
    gauge.clear();
    expect(sampleLines(await registry.metrics())).toEqual(['g 9']);
  });

  it('keeps the overflow series (zeroed), which children past the limit write into', async () => {
    const registry = new Registry();
    const counter = registry.counter({
      name: 'c_total',
      help: 'C.',
      labelNames: ['k'],
      maxSeries: 1,
    });
    counter.inc({ k: 'a' });
    const past = counter.labels({ k: 'b' });
    past.inc();
    counter.clear();
    const own = (text: string) => sampleLines(text).filter((line) => line.startsWith('c_total'));
    expect(own(await registry.metrics())).toEqual(['c_total{vigil_overflow="true"} 0']);
    past.inc();
    expect(own(await registry.metrics())).toEqual(['c_total{vigil_overflow="true"} 1']);
  });
});
