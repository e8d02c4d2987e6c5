import { Registry } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type BaselineEvent,
  type BottleneckEvent,
  PerformanceTracker,
  type PerformanceTrackerOptions,
  type RegressionEvent,
} from '../src/index.js';

let clock: ManualClock;

beforeEach(() => {
  clock = manualClock();
});

afterEach(() => {
  vi.useRealTimers();
});

function tracker(options: PerformanceTrackerOptions = {}) {
  const t = new PerformanceTracker({ clock, ...options });
  const events = {
    baseline: [] as BaselineEvent[],
    regression: [] as RegressionEvent[],
    bottleneck: [] as BottleneckEvent[],
  };
  t.on('baseline', (e) => events.baseline.push(e));
  t.on('regression', (e) => events.regression.push(e));
  t.on('bottleneck', (e) => events.bottleneck.push(e));
  return { t, events };
}

function repeat(
  t: PerformanceTracker,
  operation: string,
  seconds: number,
  times: number,
  ok = true,
) {
  for (let i = 0; i < times; i++) t.record(operation, seconds, ok);
}

describe('PerformanceTracker baselines', () => {
  it('builds a baseline automatically after baselineSamples executions and emits baseline', () => {
    const { t, events } = tracker();
    for (let i = 1; i <= 9; i++) t.record('query', i / 100);
    expect(t.baseline('query')).toBeUndefined();
    expect(events.baseline).toEqual([]);
    t.record('query', 0.1);
    const baseline = t.baseline('query');
    expect(baseline).toMatchObject({ samples: 10, createdAt: clock.now() });
    expect(baseline?.p50).toBeCloseTo(0.055, 10);
    expect(baseline?.p95).toBeCloseTo(0.0955, 10);
    expect(baseline?.mean).toBeCloseTo(0.055, 10);
    expect(events.baseline).toEqual([{ operation: 'query', baseline, timestamp: clock.now() }]);
  });

  it('honours baselineSamples and rebuilds after resetBaseline()', () => {
    const { t, events } = tracker({ baselineSamples: 3 });
    repeat(t, 'job', 1, 3);
    expect(t.baseline('job')?.p50).toBe(1);
    expect(t.resetBaseline('job')).toBe(true);
    expect(t.resetBaseline('unknown')).toBe(false);
    expect(t.baseline('job')).toBeUndefined();
    repeat(t, 'job', 2, 3);
    expect(t.baseline('job')?.p50).toBe(2);
    expect(events.baseline).toHaveLength(2);
  });
});

describe('PerformanceTracker regressions', () => {
  it('reports a regression when the recent p95 exceeds the baseline by more than the threshold', () => {
    const { t, events } = tracker();
    repeat(t, 'checkout', 0.1, 10);
    repeat(t, 'checkout', 0.1, 8);
    t.record('checkout', 0.2);
    t.record('checkout', 0.2);
    expect(events.regression).toEqual([
      {
        operation: 'checkout',
        quantile: 'p95',
        baseline: 0.1,
        current: 0.2,
        increase: 1,
        threshold: 0.1,
        timestamp: clock.now(),
      },
    ]);
    expect(t.stats('checkout')?.regression).toMatchObject({ quantile: 'p95', increase: 1 });
  });

  it('reports p50 when the median moved most', () => {
    const { t, events } = tracker();
    repeat(t, 'search', 0.1, 10);
    repeat(t, 'search', 0.13, 10);
    expect(events.regression[0]).toMatchObject({ quantile: 'p50', baseline: 0.1, current: 0.13 });
    expect(events.regression[0]?.increase).toBeCloseTo(0.3, 10);
  });

  it('stays quiet within the threshold and before minSamples executions since the baseline', () => {
    const { t, events } = tracker({ minSamples: 20, evaluateEvery: 5 });
    repeat(t, 'search', 0.1, 10);
    repeat(t, 'search', 0.5, 15);
    expect(events.regression).toEqual([]);
    expect(t.stats('search')?.regression).toBeUndefined();
    repeat(t, 'search', 0.5, 5);
    expect(events.regression).toHaveLength(1);

    const quiet = tracker();
    repeat(quiet.t, 'search', 0.1, 10);
    repeat(quiet.t, 'search', 0.109, 30);
    expect(quiet.events.regression).toEqual([]);
  });

  it('emits a regression at most once per eventInterval per operation', () => {
    const { t, events } = tracker({ eventInterval: '5m' });
    repeat(t, 'export', 1, 10);
    repeat(t, 'export', 2, 10);
    expect(events.regression).toHaveLength(1);
    clock.advance(4 * 60_000);
    repeat(t, 'export', 2, 10);
    expect(events.regression).toHaveLength(1);
    clock.advance(60_000);
    repeat(t, 'export', 2, 10);
    expect(events.regression).toHaveLength(2);
    expect(events.regression[1]?.timestamp).toBe(clock.now());
  });

  it('evaluates every evaluateEvery executions', () => {
    const { t, events } = tracker({ evaluateEvery: 7 });
    repeat(t, 'x', 1, 10);
    repeat(t, 'x', 2, 10);
    expect(events.regression).toEqual([]); // 20 executions: not a multiple of 7
    t.record('x', 2);
    expect(events.regression).toHaveLength(1);
  });

  it('with evaluateInterval, evaluates at most once per interval per operation', () => {
    const { t, events } = tracker({ evaluateEvery: 1, evaluateInterval: '1s', eventInterval: 0 });
    repeat(t, 'x', 1, 10);
    repeat(t, 'x', 2, 10);
    // The baseline came at 10; the first evaluation after it, at 11, found no regression yet, and
    // none runs again in the same second.
    expect(events.regression).toEqual([]);
    clock.advance(1_000);
    t.record('x', 2);
    expect(events.regression).toHaveLength(1);
  });
});

describe('PerformanceTracker trend', () => {
  it('is degrading, improving or stable from the slope over recent windows', () => {
    const { t } = tracker({ baselineSamples: 2, minSamples: 2, windowSize: 20 });
    for (let i = 1; i <= 20; i++) t.record('up', i / 10);
    for (let i = 20; i >= 1; i--) t.record('down', i / 10);
    repeat(t, 'flat', 0.3, 20);
    expect(t.stats('up')?.trend).toBe('degrading');
    expect(t.stats('up')?.trendSlope).toBeGreaterThan(0.05);
    expect(t.stats('down')?.trend).toBe('improving');
    expect(t.stats('flat')?.trend).toBe('stable');
  });
});

describe('PerformanceTracker bottlenecks and the slowest operations', () => {
  it('lists operations whose p95 exceeds the thresholds, critical first, and emits bottleneck', () => {
    const { t, events } = tracker({ bottleneck: { warning: '500ms', critical: '2s' } });
    repeat(t, 'fast', 0.1, 10);
    repeat(t, 'slow', 0.8, 10);
    repeat(t, 'slower', 0.9, 10);
    repeat(t, 'stuck', 3, 10);
    expect(t.bottlenecks()).toEqual([
      { operation: 'stuck', severity: 'critical', p95: 3, threshold: 2 },
      { operation: 'slower', severity: 'warning', p95: 0.9, threshold: 0.5 },
      { operation: 'slow', severity: 'warning', p95: 0.8, threshold: 0.5 },
    ]);
    expect(t.stats('stuck')?.bottleneck).toBe('critical');
    repeat(t, 'stuck', 3, 10);
    expect(events.bottleneck).toEqual([
      { operation: 'stuck', severity: 'critical', p95: 3, threshold: 2, timestamp: clock.now() },
    ]);
  });

  it('takes per-operation thresholds and needs minSamples executions', () => {
    const { t } = tracker({ operationThresholds: { report: { warning: '10s', critical: '30s' } } });
    repeat(t, 'report', 5, 10);
    repeat(t, 'young', 9, 9);
    expect(t.bottlenecks()).toEqual([]);
    t.record('young', 9);
    expect(t.bottlenecks().map((b) => b.operation)).toEqual(['young']);
  });

  it('slowest(n) ranks operations by recent p95', () => {
    const { t } = tracker();
    t.record('a', 0.3);
    t.record('b', 0.1);
    t.record('c', 0.2);
    expect(t.slowest(2).map((s) => s.operation)).toEqual(['a', 'c']);
    expect(t.slowest().map((s) => s.operation)).toEqual(['a', 'c', 'b']);
  });
});

describe('PerformanceTracker statistics', () => {
  it('counts executions and errors, and the success rate over the window', () => {
    const { t } = tracker({ windowSize: 10 });
    repeat(t, 'pay', 0.1, 6);
    repeat(t, 'pay', 0.1, 4, false);
    expect(t.stats('pay')).toMatchObject({ count: 10, errors: 4, successRate: 0.6 });
    repeat(t, 'pay', 0.1, 8); // the window now holds 2 failures and 8 successes
    expect(t.stats('pay')).toMatchObject({ count: 18, errors: 4, successRate: 0.8 });
    expect(t.stats('pay')?.recent).toMatchObject({ count: 10, min: 0.1, max: 0.1, p50: 0.1 });
    expect(t.stats('none')).toBeUndefined();
    expect(t.report().map((s) => s.operation)).toEqual(['pay']);
  });

  it('keeps memory bounded: the window holds windowSize executions', () => {
    const { t } = tracker({ windowSize: 10 });
    repeat(t, 'op', 1, 100);
    repeat(t, 'op', 2, 10);
    expect(t.stats('op')?.recent).toMatchObject({ count: 10, min: 2, max: 2 });
  });

  it('ignores new operations past maxOperations, counts them, and frees a slot on forget()', () => {
    const { t } = tracker({ maxOperations: 2 });
    expect(t.record('a', 1)).toBe(true);
    expect(t.record('b', 1)).toBe(true);
    expect(t.record('c', 1)).toBe(false);
    expect(t.record('c', 1)).toBe(false);
    expect(t.ignoredExecutions).toBe(2);
    expect(t.operations).toEqual(['a', 'b']);
    expect(t.forget('a')).toBe(true);
    expect(t.forget('a')).toBe(false);
    expect(t.record('c', 1)).toBe(true);
    expect(t.operations).toEqual(['b', 'c']);
  });

  it('drops bad executions without throwing', () => {
    const { t } = tracker();
    for (const [operation, seconds] of [
      ['', 1],
      ['x', -1],
      ['x', Number.NaN],
      ['x', Number.POSITIVE_INFINITY],
      [undefined, 1],
    ] as Array<[string, number]>) {
      expect(t.record(operation, seconds)).toBe(false);
    }
    expect(t.operations).toEqual([]);
  });

  it('measure() records sync and async work, failures included, and returns or rethrows', async () => {
    vi.useFakeTimers();
    const { t } = tracker();
    expect(
      t.measure('sync', () => {
        vi.advanceTimersByTime(20);
        return 1;
      }),
    ).toBe(1);
    expect(() =>
      t.measure('sync', () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    const pending = t.measure('async', async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'ok';
    });
    await vi.advanceTimersByTimeAsync(50);
    await expect(pending).resolves.toBe('ok');
    const rejected = t.measure('async', () => Promise.reject(new Error('later')));
    await expect(rejected).rejects.toThrow('later');
    expect(t.stats('sync')).toMatchObject({ count: 2, errors: 1 });
    expect(t.stats('sync')?.recent.max).toBe(0.02);
    expect(t.stats('async')).toMatchObject({ count: 2, errors: 1 });
    expect(t.stats('async')?.recent.max).toBe(0.05);
  });
});

describe('PerformanceTracker gauges', () => {
  it('exposes baseline, recent, success, trend, regression and bottleneck gauges', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const { t } = tracker({ registry, maxOperations: 1 });
    repeat(t, 'login', 0.1, 10);
    repeat(t, 'login', 2, 9);
    t.record('login', 2, false);
    t.record('other', 1);
    const text = await registry.metrics();
    expect(text).toContain(
      'vigil_performance_baseline_seconds{operation="login",quantile="0.5"} 0.1',
    );
    expect(text).toContain(
      'vigil_performance_baseline_seconds{operation="login",quantile="0.95"} 0.1',
    );
    expect(text).toContain('vigil_performance_recent_seconds{operation="login",quantile="0.95"} 2');
    expect(text).toContain('vigil_performance_success_ratio{operation="login"} 0.95');
    expect(text).toContain('vigil_performance_trend{operation="login"} 1');
    expect(text).toContain('vigil_performance_regressed{operation="login"} 1');
    expect(text).toContain('vigil_performance_bottleneck{operation="login"} 1');
    expect(text).toContain('vigil_performance_ignored_operations_total 1');
    t.forget('login');
    expect(await registry.metrics()).not.toContain('operation="login"');
  });
});
