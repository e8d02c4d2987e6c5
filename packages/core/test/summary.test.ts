import { caught } from '@vigil/test-support';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  DEFAULT_QUANTILES,
  ExponentialSketch,
  type Labels,
  Registry,
  Summary,
  SummaryChild,
} from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

function windowCount<L extends string>(summary: Summary<L>, labels?: Labels<L>): number {
  return (summary.sketch(labels) as ExponentialSketch).count;
}

describe('Summary', () => {
  it('reports prom-client’s default quantiles unless told otherwise', () => {
    const summary = new Registry().summary({ name: 'query_seconds', help: 'Queries.' });
    expect(summary).toBeInstanceOf(Summary);
    expect(summary.type).toBe('summary');
    expect(DEFAULT_QUANTILES).toEqual([0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]);
    expect(summary.quantiles).toEqual(DEFAULT_QUANTILES);
  });

  it('sorts and de-duplicates the quantiles it is given', () => {
    const summary = new Registry().summary({
      name: 'query_seconds',
      help: 'Queries.',
      quantiles: [0.99, 0.5, 0.9, 0.5],
    });
    expect(summary.quantiles).toEqual([0.5, 0.9, 0.99]);
  });

  it.each([
    ['an empty quantile list', { quantiles: [] }, 'quantiles'],
    ['a quantile above 1', { quantiles: [0.5, 1.5] }, 'quantiles'],
    ['a negative quantile', { quantiles: [-0.1] }, 'quantiles'],
    ['a NaN quantile', { quantiles: [Number.NaN] }, 'quantiles'],
    ['maxAge 0', { maxAge: 0 }, 'maxAge'],
    ['ageBuckets 0', { ageBuckets: 0 }, 'ageBuckets'],
    ['ageBuckets 1.5', { ageBuckets: 1.5 }, 'ageBuckets'],
    ['ageBuckets 61', { ageBuckets: 61 }, 'ageBuckets'],
    ['relativeError 0', { relativeError: 0 }, 'relativeError'],
    ['relativeError 0.5', { relativeError: 0.5 }, 'relativeError'],
  ])('rejects %s as INVALID_OPTION', (_, options, mention) => {
    const error = caught(() =>
      new Registry().summary({ name: 'query_seconds', help: 'Queries.', ...options }),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain(mention);
  });

  it('rejects a maxAge that is not a duration as INVALID_DURATION', () => {
    const error = caught(() =>
      new Registry().summary({ name: 'query_seconds', help: 'Queries.', maxAge: '10 minutes' }),
    );
    expect(error).toMatchObject({ code: 'INVALID_DURATION' });
    expect((error as Error).message).toContain('maxAge');
  });

  it('takes maxAge as a duration string or milliseconds', () => {
    const registry = new Registry();
    expect(registry.summary({ name: 'a_seconds', help: 'A.' }).maxAge).toBe(10 * MINUTE);
    expect(registry.summary({ name: 'b_seconds', help: 'B.', maxAge: '1h30m' }).maxAge).toBe(
      90 * MINUTE,
    );
    expect(registry.summary({ name: 'c_seconds', help: 'C.', maxAge: 5_000 }).maxAge).toBe(5_000);
    expect(
      registry.summary({ name: 'd_seconds', help: 'D.', maxAge: false }).maxAge,
    ).toBeUndefined();
  });

  it('estimates each quantile within its relative error', () => {
    const summary = new Registry().summary({
      name: 'query_seconds',
      help: 'Queries.',
      quantiles: [0.5, 0.9, 0.99],
    });
    for (let i = 1; i <= 1000; i++) summary.observe(i / 1000);
    const sketch = summary.sketch() as ExponentialSketch;
    expect(Math.abs(sketch.quantile(0.5) - 0.5) / 0.5).toBeLessThanOrEqual(0.01);
    expect(Math.abs(sketch.quantile(0.9) - 0.9) / 0.9).toBeLessThanOrEqual(0.01);
    expect(Math.abs(sketch.quantile(0.99) - 0.99) / 0.99).toBeLessThanOrEqual(0.01);
  });

  it('honours a coarser relativeError', () => {
    const registry = new Registry();
    const coarse = registry.summary({ name: 'a_seconds', help: 'A.', relativeError: 0.05 });
    const fine = registry.summary({ name: 'b_seconds', help: 'B.' });
    expect(coarse.scale).toBe(ExponentialSketch.scaleForRelativeError(0.05));
    expect(coarse.scale).toBeLessThan(fine.scale);
    expect(ExponentialSketch.relativeError(coarse.scale)).toBeLessThanOrEqual(0.05);
  });

  it('observes labelled series through the object form and a bound child', () => {
    const summary = new Registry().summary({
      name: 'query_seconds',
      help: 'Queries.',
      labelNames: ['table'],
    });
    summary.observe({ table: 'users' }, 1);
    const child = summary.labels({ table: 'users' });
    expect(child).toBeInstanceOf(SummaryChild);
    expect(summary.labels({ table: 'users' })).toBe(child);
    child.observe(3);
    summary.labels({ table: 'orders' }).observe(10);
    expect(windowCount(summary, { table: 'users' })).toBe(2);
    expect((summary.sketch({ table: 'users' }) as ExponentialSketch).sum).toBe(4);
    expect(windowCount(summary, { table: 'orders' })).toBe(1);
    expect(summary.sketch({ table: 'none' })).toBeUndefined();
  });

  it('rejects NaN and ±Infinity observations', () => {
    const summary = new Registry({ onInvalid: 'throw' }).summary({ name: 'q_seconds', help: 'Q.' });
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(caught(() => summary.observe(value))).toMatchObject({ code: 'INVALID_VALUE' });
      expect(caught(() => summary.labels({}).observe(value))).toMatchObject({
        code: 'INVALID_VALUE',
      });
    }
    expect(windowCount(summary)).toBe(0);
  });

  it('startTimer() observes the seconds elapsed', () => {
    vi.useFakeTimers();
    const summary = new Registry().summary({
      name: 'query_seconds',
      help: 'Queries.',
      labelNames: ['table', 'outcome'],
    });
    // startTimer's type asks for every label up front; prom-client takes some now, the rest at
    // the end, and the runtime merges them, so the partial start labels are cast here.
    const end = summary.startTimer({ table: 'users' } as Labels<'table' | 'outcome'>);
    vi.advanceTimersByTime(1_250);
    expect(end({ outcome: 'ok' })).toBeCloseTo(1.25, 9);
    const endChild = summary.labels({ table: 'users', outcome: 'ok' }).startTimer();
    vi.advanceTimersByTime(750);
    expect(endChild()).toBeCloseTo(0.75, 9);
    const sketch = summary.sketch({ table: 'users', outcome: 'ok' }) as ExponentialSketch;
    expect(sketch.count).toBe(2);
    expect(sketch.sum).toBeCloseTo(2, 9);
  });

  describe('the maxAge window', () => {
    it('expires observations after maxAge on the registry clock, lazily', async () => {
      const clock = manualClock(1_700_000_000_000);
      const registry = new Registry({ clock });
      const summary = registry.summary({
        name: 'query_seconds',
        help: 'Queries.',
        quantiles: [0.5],
        maxAge: '10m',
        ageBuckets: 5,
      });
      for (let i = 1; i <= 100; i++) summary.observe(i);
      clock.advance(10 * MINUTE - 1);
      expect(windowCount(summary)).toBe(100);
      clock.advance(1);
      expect(windowCount(summary)).toBe(0);
      const text = await registry.metrics();
      // The quantile covers the window; _sum and _count are all-time.
      expect(text).toContain('query_seconds{quantile="0.5"} NaN\n');
      expect(text).toContain('query_seconds_sum 5050\n');
      expect(text).toContain('query_seconds_count 100\n');
    });

    it('keeps an observation at least maxAge·(1 - 1/ageBuckets) and at most maxAge', () => {
      const clock = manualClock(0);
      const summary = new Registry({ clock }).summary({
        name: 'query_seconds',
        help: 'Queries.',
        maxAge: '10m',
        ageBuckets: 5,
      });
      clock.set(5 * MINUTE);
      summary.observe(42);
      clock.set(5 * MINUTE + 8 * MINUTE - 1);
      expect(windowCount(summary)).toBe(1);
      clock.set(5 * MINUTE + 10 * MINUTE);
      expect(windowCount(summary)).toBe(0);
    });

    it('slides: old observations leave while newer ones stay', async () => {
      const clock = manualClock(1_700_000_000_000);
      const registry = new Registry({ clock });
      const summary = registry.summary({
        name: 'query_seconds',
        help: 'Queries.',
        quantiles: [0.5],
        maxAge: '1m',
        ageBuckets: 2,
      });
      summary.observe(1);
      clock.advance(30_000);
      summary.observe(100);
      clock.advance(30_000);
      // The first half-window has rotated out; only 100 is left.
      expect(windowCount(summary)).toBe(1);
      expect(await registry.metrics()).toContain('query_seconds{quantile="0.5"} 100\n');
      expect(await registry.metrics()).toContain('query_seconds_count 2\n');
    });

    it('follows fake timers when no clock is injected', () => {
      vi.useFakeTimers();
      const summary = new Registry().summary({ name: 'query_seconds', help: 'Queries.' });
      summary.observe(1);
      vi.advanceTimersByTime(7 * MINUTE);
      expect(windowCount(summary)).toBe(1);
      vi.advanceTimersByTime(3 * MINUTE);
      expect(windowCount(summary)).toBe(0);
    });

    it('maxAge: false keeps every observation', () => {
      const clock = manualClock(0);
      const summary = new Registry({ clock }).summary({
        name: 'query_seconds',
        help: 'Queries.',
        maxAge: false,
      });
      summary.observe(1);
      clock.advance(365 * 24 * 60 * MINUTE);
      summary.observe(2);
      const sketch = summary.sketch() as ExponentialSketch;
      expect(sketch.count).toBe(2);
      expect(sketch.sum).toBe(3);
    });
  });

  describe('sketch()', () => {
    it('returns a copy: changing it leaves the summary alone', () => {
      const summary = new Registry().summary({ name: 'query_seconds', help: 'Queries.' });
      summary.observe(1);
      const copy = summary.sketch() as ExponentialSketch;
      copy.add(1000);
      expect(windowCount(summary)).toBe(1);
      expect((summary.sketch() as ExponentialSketch).max).toBe(1);
    });

    it('of two summaries merges exactly into the sketch of all observations', () => {
      const values = fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 200 });
      fc.assert(
        fc.property(values, values, (left, right) => {
          const registry = new Registry({ clock: manualClock(0) });
          const a = registry.summary({ name: 'a_seconds', help: 'A.' });
          const b = registry.summary({ name: 'b_seconds', help: 'B.' });
          const all = registry.summary({ name: 'all_seconds', help: 'All.' });
          for (const value of left) a.observe(value);
          for (const value of right) b.observe(value);
          for (const value of [...left, ...right]) all.observe(value);
          const merged = a.sketch() as ExponentialSketch;
          merged.merge(b.sketch() as ExponentialSketch);
          const expected = all.sketch() as ExponentialSketch;
          expect(merged.toJSON()).toEqual(expected.toJSON());
          for (const q of [0, 0.25, 0.5, 0.9, 0.99, 1]) {
            expect(merged.quantile(q)).toBe(expected.quantile(q));
          }
        }),
      );
    });
  });

  it('keeps a bound child working after remove() and reset()', () => {
    const summary = new Registry().summary({
      name: 'query_seconds',
      help: 'Queries.',
      labelNames: ['table'],
    });
    const child = summary.labels({ table: 'users' });
    child.observe(5);
    expect(summary.remove({ table: 'users' })).toBe(true);
    expect(summary.sketch({ table: 'users' })).toBeUndefined();
    child.observe(7);
    expect((summary.sketch({ table: 'users' }) as ExponentialSketch).sum).toBe(7);
    summary.reset();
    child.observe(9);
    expect((summary.sketch({ table: 'users' }) as ExponentialSketch).sum).toBe(9);
  });

  it('renders quantile lines, _sum and _count; _created in OpenMetrics', async () => {
    const registry = new Registry({ clock: manualClock(1_700_000_000_000) });
    const summary = registry.summary({
      name: 'query_seconds',
      help: 'Queries.',
      labelNames: ['table'],
      quantiles: [0.5, 0.99],
    });
    summary.observe({ table: 'users' }, 0.3);
    expect(await registry.metrics()).toBe(
      [
        '# HELP query_seconds Queries.',
        '# TYPE query_seconds summary',
        'query_seconds{table="users",quantile="0.5"} 0.3',
        'query_seconds{table="users",quantile="0.99"} 0.3',
        'query_seconds_sum{table="users"} 0.3',
        'query_seconds_count{table="users"} 1',
        '',
      ].join('\n'),
    );
    expect(await registry.metrics({ format: 'openmetrics' })).toBe(
      [
        '# HELP query_seconds Queries.',
        '# TYPE query_seconds summary',
        'query_seconds{table="users",quantile="0.5"} 0.3',
        'query_seconds{table="users",quantile="0.99"} 0.3',
        'query_seconds_sum{table="users"} 0.3',
        'query_seconds_count{table="users"} 1',
        'query_seconds_created{table="users"} 1700000000',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('snapshots quantiles, all-time sum and count, and the window’s sketch', () => {
    const registry = new Registry({ clock: manualClock(1_000) });
    const summary = registry.summary({ name: 'query_seconds', help: 'Queries.', quantiles: [0.5] });
    summary.observe(2);
    summary.observe(4);
    const [snapshot] = registry.snapshot().metrics;
    expect(snapshot).toMatchObject({
      name: 'query_seconds',
      type: 'summary',
      quantiles: [0.5],
      series: [{ labels: {}, sum: 6, count: 2, created: 1_000 }],
    });
    const series = (snapshot as { series: Array<{ quantiles: number[]; sketch: unknown }> })
      .series[0];
    expect(series?.quantiles[0]).toBeCloseTo(2, 1);
    expect(series?.sketch).toEqual((summary.sketch() as ExponentialSketch).toJSON());
    expect(ExponentialSketch.fromJSON(series?.sketch).count).toBe(2);
  });
});
