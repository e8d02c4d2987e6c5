import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  DEFAULT_BUCKETS,
  exponentialBuckets,
  Histogram,
  HistogramChild,
  type Labels,
  linearBuckets,
  Registry,
} from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function expectInvalidOption(fn: () => unknown, mention: string): void {
  const error = caught(fn);
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(error).toMatchObject({ code: 'INVALID_OPTION' });
  expect((error as Error).message).toContain(mention);
}

describe('bucket helpers', () => {
  it('DEFAULT_BUCKETS are prom-client’s: 5 ms to 10 s, frozen', () => {
    expect(DEFAULT_BUCKETS).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    expect(Object.isFrozen(DEFAULT_BUCKETS)).toBe(true);
  });

  it('linearBuckets(start, width, count) steps by width', () => {
    expect(linearBuckets(0, 10, 3)).toEqual([0, 10, 20]);
    expect(linearBuckets(-1, 0.5, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    const tenths = linearBuckets(0.1, 0.1, 5);
    expect(tenths).toHaveLength(5);
    for (const [i, bound] of tenths.entries()) expect(bound).toBeCloseTo((i + 1) / 10, 12);
  });

  it('linearBuckets rejects a zero, negative or non-finite width, a non-finite start and a bad count', () => {
    expectInvalidOption(() => linearBuckets(0, 0, 3), 'width');
    expectInvalidOption(() => linearBuckets(0, -1, 3), 'width');
    expectInvalidOption(() => linearBuckets(0, Number.POSITIVE_INFINITY, 3), 'width');
    expectInvalidOption(() => linearBuckets(Number.NaN, 1, 3), 'start');
    expectInvalidOption(() => linearBuckets(0, 1, 0), 'count');
    expectInvalidOption(() => linearBuckets(0, 1, 2.5), 'count');
    expectInvalidOption(() => linearBuckets(0, 1, -1), 'count');
  });

  it('exponentialBuckets(start, factor, count) multiplies by factor', () => {
    expect(exponentialBuckets(1, 2, 4)).toEqual([1, 2, 4, 8]);
    expect(exponentialBuckets(0.001, 10, 4)).toEqual([0.001, 0.01, 0.1, 1]);
  });

  it('exponentialBuckets rejects a start ≤ 0, a factor ≤ 1 and a bad count', () => {
    expectInvalidOption(() => exponentialBuckets(0, 2, 3), 'start');
    expectInvalidOption(() => exponentialBuckets(-1, 2, 3), 'start');
    expectInvalidOption(() => exponentialBuckets(1, 1, 3), 'factor');
    expectInvalidOption(() => exponentialBuckets(1, 0.5, 3), 'factor');
    expectInvalidOption(() => exponentialBuckets(1, Number.NaN, 3), 'factor');
    expectInvalidOption(() => exponentialBuckets(1, 2, 0), 'count');
    expectInvalidOption(() => exponentialBuckets(1, 2, 1.5), 'count');
  });
});

describe('Histogram', () => {
  it('uses DEFAULT_BUCKETS when none are given', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'job_duration_seconds', help: 'Jobs.' });
    expect(histogram).toBeInstanceOf(Histogram);
    expect(histogram.type).toBe('histogram');
    expect(registry.snapshot().metrics[0]).toMatchObject({ bounds: [...DEFAULT_BUCKETS] });
    expect(histogram.get()?.counts).toHaveLength(DEFAULT_BUCKETS.length + 1);
  });

  it('accepts buckets from the helpers and drops a trailing +Inf', () => {
    const registry = new Registry();
    registry.histogram({
      name: 'payload_bytes',
      help: 'Payload sizes.',
      buckets: exponentialBuckets(100, 10, 3),
    });
    registry.histogram({
      name: 'score',
      help: 'Scores.',
      buckets: [1, 2, Number.POSITIVE_INFINITY],
    });
    const [payload, score] = registry.snapshot().metrics;
    expect(payload).toMatchObject({ bounds: [100, 1000, 10000] });
    expect(score).toMatchObject({ bounds: [1, 2] });
  });

  it.each([
    ['an empty array', [], 'non-empty'],
    ['only +Inf', [Number.POSITIVE_INFINITY], 'non-empty'],
    ['decreasing bounds', [1, 0.5], 'strictly increasing'],
    ['a repeated bound', [1, 1], 'strictly increasing'],
    ['NaN', [0.1, Number.NaN], 'finite'],
    ['-Infinity', [Number.NEGATIVE_INFINITY, 1], 'finite'],
    ['a string', ['1'], 'finite'],
  ])('rejects buckets with %s as INVALID_OPTION', (_, buckets, mention) => {
    expectInvalidOption(
      () =>
        new Registry().histogram({
          name: 'latency_seconds',
          help: 'Latency.',
          buckets: buckets as number[],
        }),
      mention,
    );
  });

  it('counts an observation in the first bucket whose bound is ≥ the value', () => {
    const histogram = new Registry().histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      buckets: [0.1, 0.5, 1],
    });
    for (const value of [0.05, 0.1, 0.3, 0.5, 0.7, 1, 3, -2]) histogram.observe(value);
    expect(histogram.get()).toEqual({
      counts: [3, 2, 2, 1],
      count: 8,
      sum: expect.closeTo(3.65, 12),
    });
  });

  it('observes labelled series, through the object form and through a bound child', () => {
    const histogram = new Registry().histogram({
      name: 'request_duration_seconds',
      help: 'Requests.',
      labelNames: ['route'],
      buckets: [0.1, 1],
    });
    histogram.observe({ route: '/a' }, 0.05);
    const child = histogram.labels({ route: '/a' });
    expect(child).toBeInstanceOf(HistogramChild);
    expect(histogram.labels({ route: '/a' })).toBe(child);
    child.observe(0.5);
    histogram.labels({ route: '/b' }).observe(2);
    expect(histogram.get({ route: '/a' })).toEqual({ counts: [1, 1, 0], count: 2, sum: 0.55 });
    expect(histogram.get({ route: '/b' })).toEqual({ counts: [0, 0, 1], count: 1, sum: 2 });
    expect(histogram.get({ route: '/c' })).toBeUndefined();
  });

  it('rejects NaN and ±Infinity observations', () => {
    const histogram = new Registry({ onInvalid: 'throw' }).histogram({
      name: 'latency_seconds',
      help: 'Latency.',
    });
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(caught(() => histogram.observe(value))).toMatchObject({ code: 'INVALID_VALUE' });
    }
    expect(histogram.get()?.count).toBe(0);
  });

  describe('startTimer()', () => {
    it('observes the seconds elapsed and returns them', () => {
      vi.useFakeTimers();
      const histogram = new Registry().histogram({
        name: 'job_duration_seconds',
        help: 'Jobs.',
        labelNames: ['job', 'outcome'],
        buckets: [1, 5],
      });
      // startTimer's type asks for every label up front; prom-client takes some now, the rest at
      // the end, and the runtime merges them, so the partial start labels are cast here.
      const end = histogram.startTimer({ job: 'report' } as Labels<'job' | 'outcome'>);
      vi.advanceTimersByTime(3_000);
      expect(end({ outcome: 'ok' })).toBeCloseTo(3, 9);
      const series = histogram.get({ job: 'report', outcome: 'ok' });
      expect(series?.counts).toEqual([0, 1, 0]);
      expect(series?.sum).toBeCloseTo(3, 9);
    });

    it('works unlabelled and on a bound child', () => {
      vi.useFakeTimers();
      const registry = new Registry();
      const plain = registry.histogram({ name: 'a_seconds', help: 'A.', buckets: [1] });
      const labelled = registry.histogram({
        name: 'b_seconds',
        help: 'B.',
        labelNames: ['job'],
        buckets: [1],
      });
      const endPlain = plain.startTimer();
      const endChild = labelled.labels({ job: 'x' }).startTimer();
      vi.advanceTimersByTime(500);
      expect(endPlain()).toBeCloseTo(0.5, 9);
      expect(endChild()).toBeCloseTo(0.5, 9);
      expect(plain.get()?.counts).toEqual([1, 0]);
      expect(labelled.get({ job: 'x' })?.counts).toEqual([1, 0]);
    });
  });

  it('keeps a bound child working after remove() and reset()', () => {
    const histogram = new Registry().histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      buckets: [1],
    });
    const child = histogram.labels({ route: '/' });
    child.observe(0.5);
    histogram.remove({ route: '/' });
    child.observe(2);
    expect(histogram.get({ route: '/' })).toEqual({ counts: [0, 1], count: 1, sum: 2 });
    histogram.reset();
    child.observe(0.25);
    expect(histogram.get({ route: '/' })).toEqual({ counts: [1, 0], count: 1, sum: 0.25 });
  });

  it('renders cumulative _bucket lines, +Inf, _sum and _count in the Prometheus format', async () => {
    const registry = new Registry();
    const histogram = registry.histogram({
      name: 'request_duration_seconds',
      help: 'Request latency.',
      labelNames: ['route'],
      buckets: [0.1, 0.5, 1],
    });
    for (const value of [0.05, 0.3, 0.3, 2]) histogram.observe({ route: '/users' }, value);
    expect(await registry.metrics()).toBe(
      [
        '# HELP request_duration_seconds Request latency.',
        '# TYPE request_duration_seconds histogram',
        'request_duration_seconds_bucket{route="/users",le="0.1"} 1',
        'request_duration_seconds_bucket{route="/users",le="0.5"} 3',
        'request_duration_seconds_bucket{route="/users",le="1"} 3',
        'request_duration_seconds_bucket{route="/users",le="+Inf"} 4',
        'request_duration_seconds_sum{route="/users"} 2.65',
        'request_duration_seconds_count{route="/users"} 4',
        '',
      ].join('\n'),
    );
  });

  describe('exemplars', () => {
    it('are rendered on their bucket in OpenMetrics only', async () => {
      const clock = manualClock(1_700_000_000_123);
      const registry = new Registry({ clock });
      const histogram = registry.histogram({
        name: 'request_duration_seconds',
        help: 'Request latency.',
        labelNames: ['route'],
        buckets: [0.1, 0.5],
      });
      histogram.observe({ route: '/' }, 0.3, { trace_id: 'abc' });
      const openMetrics = await registry.metrics({ format: 'openmetrics' });
      expect(openMetrics).toContain(
        'request_duration_seconds_bucket{route="/",le="0.5"} 1 # {trace_id="abc"} 0.3 1700000000.123\n',
      );
      expect(openMetrics).toContain('request_duration_seconds_bucket{route="/",le="0.1"} 0\n');
      expect(openMetrics).toContain('request_duration_seconds_bucket{route="/",le="+Inf"} 1\n');
      const prometheus = await registry.metrics();
      expect(prometheus).not.toContain('trace_id');
      expect(prometheus).not.toContain(' # ');
    });

    it('can be given through a bound child; the latest one per bucket wins', async () => {
      const clock = manualClock(1_700_000_000_000);
      const registry = new Registry({ clock });
      const histogram = registry.histogram({
        name: 'job_duration_seconds',
        help: 'Jobs.',
        buckets: [1],
      });
      const child = histogram.labels({});
      child.observe(0.2, { trace_id: 'first' });
      clock.advance(1_500);
      child.observe(0.4, { trace_id: 'second', span_id: 's"1' });
      const text = await registry.metrics({ format: 'openmetrics' });
      expect(text).toContain(
        'job_duration_seconds_bucket{le="1.0"} 2 # {trace_id="second",span_id="s\\"1"} 0.4 1700000001.5\n',
      );
      expect(text).not.toContain('first');
    });

    it('with a bad label name are reported as invalid', () => {
      const histogram = new Registry({ onInvalid: 'throw' }).histogram({
        name: 'job_duration_seconds',
        help: 'Jobs.',
        labelNames: ['job'],
      });
      expect(caught(() => histogram.observe({ job: 'a' }, 0.2, { 'trace-id': 'x' }))).toMatchObject(
        { code: 'INVALID_VALUE' },
      );
    });
  });

  it('renders _created in OpenMetrics from the registry clock', async () => {
    const registry = new Registry({ clock: manualClock(1_700_000_000_000) });
    registry.histogram({ name: 'job_duration_seconds', help: 'Jobs.', buckets: [1] }).observe(0.5);
    expect(await registry.metrics({ format: 'openmetrics' })).toBe(
      [
        '# HELP job_duration_seconds Jobs.',
        '# TYPE job_duration_seconds histogram',
        'job_duration_seconds_bucket{le="1.0"} 1',
        'job_duration_seconds_bucket{le="+Inf"} 1',
        'job_duration_seconds_sum 0.5',
        'job_duration_seconds_count 1',
        'job_duration_seconds_created 1700000000',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('snapshots per-bucket (not cumulative) counts', () => {
    const registry = new Registry({ clock: manualClock(5_000) });
    const histogram = registry.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      buckets: [0.1, 1],
    });
    histogram.observe(0.05);
    histogram.observe(0.5);
    histogram.observe(0.7);
    expect(registry.snapshot().metrics).toEqual([
      {
        name: 'latency_seconds',
        help: 'Latency.',
        labelNames: [],
        type: 'histogram',
        bounds: [0.1, 1],
        series: [{ labels: {}, counts: [1, 2, 0], sum: 1.25, count: 3, created: 5_000 }],
      },
    ]);
  });
});
