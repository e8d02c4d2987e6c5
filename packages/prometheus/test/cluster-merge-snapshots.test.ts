import {
  type GaugeSnapshot,
  type HistogramSnapshot,
  type MetricSnapshot,
  Registry,
  type RegistrySnapshot,
  renderSnapshot,
  type SummarySnapshot,
} from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GAUGE_POLICIES, type GaugePolicy, mergeSnapshots } from '../src/index.js';

const START = 1_700_000_000_000;

function registry(start = START): Registry {
  return new Registry({ clock: manualClock(start) });
}

function metric<T extends MetricSnapshot>(snapshot: RegistrySnapshot, name: string): T {
  const found = snapshot.metrics.find((m) => m.name === name);
  if (found === undefined) throw new Error(`no metric ${name}`);
  return found as T;
}

describe('mergeSnapshots: counters', () => {
  it('sums each label set, whatever the order of the workers or of their labels', () => {
    const a = registry(START + 500);
    const requests = a.counter({
      name: 'requests_total',
      help: 'R.',
      labelNames: ['method', 'code'],
    });
    requests.inc({ method: 'GET', code: '200' }, 3);
    requests.inc({ method: 'POST', code: '201' }, 1);
    const b = registry(START);
    const other = b.counter({ name: 'requests_total', help: 'R.', labelNames: ['code', 'method'] });
    other.inc({ code: '200', method: 'GET' }, 4);
    other.inc({ code: '500', method: 'GET' }, 2);
    const { snapshot, mismatches } = mergeSnapshots([
      { worker: '1', snapshot: a.snapshot() },
      { worker: '2', snapshot: b.snapshot() },
    ]);
    expect(mismatches).toEqual([]);
    expect(metric(snapshot, 'requests_total')).toEqual({
      name: 'requests_total',
      help: 'R.',
      labelNames: ['method', 'code'],
      type: 'counter',
      series: [
        { labels: { method: 'GET', code: '200' }, value: 7, created: START },
        { labels: { method: 'POST', code: '201' }, value: 1, created: START + 500 },
        { labels: { code: '500', method: 'GET' }, value: 2, created: START },
      ],
    });
  });

  it('keeps label values apart that a naive key would join', () => {
    const a = registry();
    a.counter({ name: 'x_total', help: 'X.', labelNames: ['a', 'b'] }).inc({ a: 'p|q', b: 'r' });
    const b = registry();
    b.counter({ name: 'x_total', help: 'X.', labelNames: ['a', 'b'] }).inc({ a: 'p', b: 'q|r' });
    const { snapshot } = mergeSnapshots([
      { worker: '1', snapshot: a.snapshot() },
      { worker: '2', snapshot: b.snapshot() },
    ]);
    expect(metric(snapshot, 'x_total').series).toHaveLength(2);
  });

  it('merges one worker into what that worker renders itself', async () => {
    const a = registry();
    a.counter({ name: 'x_total', help: 'X.', labelNames: ['a'] }).inc({ a: 'v' }, 2);
    a.histogram({ name: 'h_seconds', help: 'H.', buckets: [1, 2] }).observe(1.5);
    a.summary({ name: 's_seconds', help: 'S.', quantiles: [0.5, 0.99] }).observe(0.3);
    a.gauge({ name: 'g', help: 'G.' }).set(-4);
    const { snapshot } = mergeSnapshots([{ worker: '1', snapshot: a.snapshot() }]);
    for (const format of ['prometheus', 'openmetrics'] as const) {
      expect(renderSnapshot(snapshot, format)).toBe(await a.metrics({ format }));
    }
  });
});

describe('mergeSnapshots: label sets', () => {
  it('keeps the overflow series and unlabelled metrics apart, and matches default labels', () => {
    const make = (service: string) => {
      const r = new Registry({
        clock: manualClock(START),
        maxSeriesPerMetric: 1,
        defaultLabels: { service },
      });
      const c = r.counter({ name: 'hits_total', help: 'H.', labelNames: ['path'] });
      c.inc({ path: '/a' });
      c.inc({ path: '/b' }, 2);
      r.counter({ name: 'plain_total', help: 'P.' }).inc(3);
      return r;
    };
    const { snapshot } = mergeSnapshots([
      { worker: '1', snapshot: make('api').snapshot() },
      { worker: '2', snapshot: make('api').snapshot() },
      { worker: '3', snapshot: make('web').snapshot() },
    ]);
    expect(renderSnapshot(snapshot)).toBe(
      [
        '# HELP hits_total H.',
        '# TYPE hits_total counter',
        'hits_total{service="api",path="/a"} 2',
        'hits_total{service="api",vigil_overflow="true"} 4',
        'hits_total{service="web",path="/a"} 1',
        'hits_total{service="web",vigil_overflow="true"} 2',
        '# HELP vigil_cardinality_overflow_total Observations sent to the overflow series because a metric reached its series limit.',
        '# TYPE vigil_cardinality_overflow_total counter',
        'vigil_cardinality_overflow_total{service="api",metric="hits_total"} 2',
        'vigil_cardinality_overflow_total{service="web",metric="hits_total"} 1',
        '# HELP plain_total P.',
        '# TYPE plain_total counter',
        'plain_total{service="api"} 6',
        'plain_total{service="web"} 3',
        '',
      ].join('\n'),
    );
  });

  it('merges label sets whose values contain separators and look-alikes', () => {
    const values = ['', '1:', '1:a', 'a,b', 'a|b', '"\\\n', 'ü'];
    const make = () => {
      const r = registry();
      const c = r.counter({ name: 'x_total', help: 'X.', labelNames: ['a', 'b'] });
      for (const a of values) for (const b of values) c.inc({ a, b });
      return r.snapshot();
    };
    const { snapshot } = mergeSnapshots([
      { worker: '1', snapshot: make() },
      { worker: '2', snapshot: make() },
    ]);
    const series = metric(snapshot, 'x_total').series as Array<{ value: number }>;
    expect(series).toHaveLength(values.length ** 2);
    expect(series.every((s) => s.value === 2)).toBe(true);
  });
});

describe('mergeSnapshots: histograms', () => {
  it('adds bucket by bucket, sums and counts; created is the earliest', () => {
    const a = registry(START + 10);
    a.histogram({ name: 'h_seconds', help: 'H.', buckets: [1, 5] }).observe(0.5);
    const b = registry(START);
    const hb = b.histogram({ name: 'h_seconds', help: 'H.', buckets: [1, 5] });
    for (const v of [0.2, 3, 9]) hb.observe(v);
    const { snapshot } = mergeSnapshots([
      { worker: '1', snapshot: a.snapshot() },
      { worker: '2', snapshot: b.snapshot() },
    ]);
    expect(metric<HistogramSnapshot>(snapshot, 'h_seconds').series).toEqual([
      { labels: {}, counts: [2, 1, 1], sum: 12.7, count: 4, created: START },
    ]);
  });

  it('takes a histogram whose bounds differ from the first worker alone, and says so', () => {
    const a = registry();
    a.histogram({ name: 'h_seconds', help: 'H.', buckets: [1, 5] }).observe(0.5);
    const b = registry();
    b.histogram({ name: 'h_seconds', help: 'H.', buckets: [1, 5] }).observe(0.5);
    const c = registry();
    c.histogram({ name: 'h_seconds', help: 'H.', buckets: [1, 10] }).observe(7);
    const { snapshot, mismatches } = mergeSnapshots([
      { worker: '1', snapshot: a.snapshot() },
      { worker: '2', snapshot: b.snapshot() },
      { worker: '3', snapshot: c.snapshot() },
    ]);
    expect(mismatches).toEqual([{ metric: 'h_seconds', worker: '3', reason: 'bounds' }]);
    expect(metric(snapshot, 'h_seconds')).toEqual(metric(a.snapshot(), 'h_seconds'));
  });

  it('takes a metric of another type from the first worker alone', () => {
    const a = registry();
    a.counter({ name: 'things', help: 'T.' }).inc(5);
    const b = registry();
    b.gauge({ name: 'things', help: 'T.' }).set(9);
    const { snapshot, mismatches } = mergeSnapshots([
      { worker: '1', snapshot: a.snapshot() },
      { worker: '2', snapshot: b.snapshot() },
    ]);
    expect(mismatches).toEqual([{ metric: 'things', worker: '2', reason: 'type' }]);
    expect(metric(snapshot, 'things').type).toBe('counter');
    expect(renderSnapshot(snapshot)).toContain('things 5\n');
  });
});

describe('mergeSnapshots: summaries', () => {
  it('merges the sketches exactly: the quantiles of all observations pooled', () => {
    const pooled = registry();
    const all = pooled.summary({ name: 's_seconds', help: 'S.', quantiles: [0.5, 0.9, 0.99] });
    const workers = [0, 1, 2].map((w) => {
      const r = registry();
      const s = r.summary({ name: 's_seconds', help: 'S.', quantiles: [0.5, 0.9, 0.99] });
      for (let i = 1; i <= 1000; i++) {
        const value = (i * (w + 1) ** 3) / 1000;
        s.observe(value);
        all.observe(value);
      }
      return { worker: String(w), snapshot: r.snapshot() };
    });
    const merged = metric<SummarySnapshot>(mergeSnapshots(workers).snapshot, 's_seconds');
    const expected = metric<SummarySnapshot>(pooled.snapshot(), 's_seconds');
    expect(merged.series[0]?.quantiles).toEqual(expected.series[0]?.quantiles);
    // Bucket for bucket the same sketch; only the float sum may differ in its last bits.
    const sketch = expected.series[0]?.sketch;
    expect(merged.series[0]?.sketch).toEqual({
      ...sketch,
      sum: expect.closeTo(sketch?.sum ?? 0, 6),
    });
    expect(merged.series[0]?.count).toBe(3000);
    // Not the average of the workers' quantiles.
    const averaged =
      workers
        .map((w) => metric<SummarySnapshot>(w.snapshot, 's_seconds').series[0]?.quantiles[2] ?? 0)
        .reduce((a, b) => a + b, 0) / 3;
    expect(Math.abs(averaged - (merged.series[0]?.quantiles[2] ?? 0))).toBeGreaterThan(1);
  });

  it('does not change the snapshots it merges: merging twice gives the same', () => {
    const r = registry();
    r.summary({ name: 's', help: 'S.', quantiles: [0.5] }).observe(2);
    const inputs = [
      { worker: '1', snapshot: r.snapshot() },
      { worker: '2', snapshot: r.snapshot() },
    ];
    const first = mergeSnapshots(inputs).snapshot;
    expect(mergeSnapshots(inputs).snapshot).toEqual(first);
    expect(metric<SummarySnapshot>(first, 's').series[0]?.count).toBe(2);
  });

  it('takes a summary whose sketches have another scale from the first worker alone', () => {
    const a = registry();
    a.summary({ name: 's', help: 'S.', relativeError: 0.01 }).observe(1);
    const b = registry();
    b.summary({ name: 's', help: 'S.', relativeError: 0.1 }).observe(2);
    const { snapshot, mismatches } = mergeSnapshots([
      { worker: '1', snapshot: a.snapshot() },
      { worker: '2', snapshot: b.snapshot() },
    ]);
    expect(mismatches).toEqual([{ metric: 's', worker: '2', reason: 'scale' }]);
    expect(metric<SummarySnapshot>(snapshot, 's').series[0]?.count).toBe(1);
  });
});

describe('mergeSnapshots: gauges', () => {
  const values = [3, Number.NaN, 10, -2];
  const snapshots = values.map((value, i) => {
    const r = registry();
    r.gauge({ name: 'depth', help: 'D.', labelNames: ['queue'] }).set({ queue: 'q' }, value);
    if (i === 2)
      r.gauge({ name: 'depth', help: 'D.', labelNames: ['queue'] }).set({ queue: 'only' }, 1);
    return { worker: String(i + 1), snapshot: r.snapshot() };
  });
  const mergedValue = (policy: GaugePolicy, queue = 'q') =>
    metric<GaugeSnapshot>(
      mergeSnapshots(snapshots, { gauges: policy }).snapshot,
      'depth',
    ).series.find((s) => s.labels['queue'] === queue)?.value;

  it('sums by default (NaN stays NaN)', () => {
    expect(mergedValue('sum')).toBeNaN();
    expect(
      metric<GaugeSnapshot>(mergeSnapshots(snapshots).snapshot, 'depth').series[0]?.value,
    ).toBeNaN();
    const finite = snapshots.filter((_, i) => i !== 1);
    expect(metric<GaugeSnapshot>(mergeSnapshots(finite).snapshot, 'depth').series[0]?.value).toBe(
      11,
    );
  });

  it('min, max and average ignore NaN for min and max', () => {
    expect(mergedValue('min')).toBe(-2);
    expect(mergedValue('max')).toBe(10);
    expect(mergedValue('average')).toBeNaN();
    const finite = snapshots.filter((_, i) => i !== 1);
    const average = metric<GaugeSnapshot>(
      mergeSnapshots(finite, { gauges: 'average' }).snapshot,
      'depth',
    ).series;
    expect(average.map((s) => s.value)).toEqual([11 / 3, 1]);
  });

  it("first takes the first worker's value of each series", () => {
    expect(mergedValue('first')).toBe(3);
    expect(mergedValue('first', 'only')).toBe(1);
  });

  it('omit leaves the metric out', () => {
    const { snapshot } = mergeSnapshots(snapshots, { gauges: { metrics: { depth: 'omit' } } });
    expect(snapshot.metrics.map((m) => m.name)).not.toContain('depth');
  });

  it('perWorker keeps one series per worker, with a worker label', () => {
    const { snapshot } = mergeSnapshots(snapshots, {
      gauges: { default: 'sum', metrics: { depth: 'perWorker' } },
      workerLabel: 'instance_id',
    });
    const depth = metric<GaugeSnapshot>(snapshot, 'depth');
    expect(depth.labelNames).toEqual(['queue', 'instance_id']);
    expect(depth.series.map((s) => [s.labels, s.value])).toEqual([
      [{ queue: 'q', instance_id: '1' }, 3],
      [{ queue: 'q', instance_id: '2' }, Number.NaN],
      [{ queue: 'q', instance_id: '3' }, 10],
      [{ queue: 'only', instance_id: '3' }, 1],
      [{ queue: 'q', instance_id: '4' }, -2],
    ]);
    expect(renderSnapshot(snapshot)).toContain('depth{queue="q",instance_id="3"} 10\n');
  });

  it('names a policy per metric over the default, and knows the process metrics', () => {
    const r = registry();
    r.gauge({ name: 'process_start_time_seconds', help: 'Start.' }).set(100);
    r.gauge({ name: 'nodejs_version_info', help: 'V.', labelNames: ['version'] }).set(
      { version: 'v20' },
      1,
    );
    r.gauge({ name: 'temp', help: 'T.' }).set(5);
    r.gauge({ name: 'depth', help: 'D.' }).set(5);
    const inputs = [1, 2].map((w) => ({ worker: String(w), snapshot: r.snapshot() }));
    const { snapshot } = mergeSnapshots(inputs, {
      gauges: { default: 'max', metrics: { depth: 'sum' } },
    });
    expect(DEFAULT_GAUGE_POLICIES['process_start_time_seconds']).toBe('omit');
    expect(renderSnapshot(snapshot)).toBe(
      [
        '# HELP nodejs_version_info V.',
        '# TYPE nodejs_version_info gauge',
        'nodejs_version_info{version="v20"} 1',
        '# HELP temp T.',
        '# TYPE temp gauge',
        'temp 5',
        '# HELP depth D.',
        '# TYPE depth gauge',
        'depth 10',
        '',
      ].join('\n'),
    );
  });
});

describe('mergeSnapshots: options', () => {
  it.each([
    [{ gauges: 'median' }, "gauges should be one of 'sum'"],
    [{ gauges: { default: 'avg' } }, 'gauges.default should be one of'],
    [{ gauges: { depth: 'max' } }, "unknown option 'depth'"],
    [{ gauges: { metrics: { depth: 'nope' } } }, 'gauges.metrics.depth should be one of'],
    [{ gauges: { metrics: { 'bad name': 'max' } } }, "'bad name' should be a metric name"],
    [{ gauges: 3 }, 'gauges should be a policy'],
    [{ workerLabel: '__worker' }, 'workerLabel should be a label name'],
    [{ workerLabel: 'a-b' }, 'workerLabel should be a label name'],
    [{ timestamp: 'now' }, 'timestamp should be a finite number'],
    [{ gauge: 'sum' }, "unknown option 'gauge'"],
  ])('rejects %j', (options, message) => {
    expect(() => mergeSnapshots([], options as never)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('stamps the latest timestamp, or the one given', () => {
    const a = { worker: '1', snapshot: { ...registry(5).snapshot(), timestamp: 5 } };
    const b = { worker: '2', snapshot: { ...registry(9).snapshot(), timestamp: 9 } };
    expect(mergeSnapshots([a, b]).snapshot.timestamp).toBe(9);
    expect(mergeSnapshots([a, b], { timestamp: 42 }).snapshot.timestamp).toBe(42);
    expect(mergeSnapshots([]).snapshot).toEqual({ version: 1, timestamp: 0, metrics: [] });
  });
});
