import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gauge, GaugeChild, type Labels, Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

function queueGauge(registry = new Registry({ onInvalid: 'throw' })) {
  return registry.gauge({ name: 'queue_depth', help: 'Jobs waiting.', labelNames: ['queue'] });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Gauge', () => {
  it('describes itself', () => {
    const gauge = queueGauge();
    expect(gauge).toBeInstanceOf(Gauge);
    expect(gauge.type).toBe('gauge');
    expect(gauge.labelNames).toEqual(['queue']);
  });

  it('set() replaces the value', () => {
    const gauge = new Registry().gauge({ name: 'temperature_celsius', help: 'Temperature.' });
    expect(gauge.get()).toBe(0);
    gauge.set(21.5);
    gauge.set(-3);
    expect(gauge.get()).toBe(-3);
  });

  it('inc() and dec() add and subtract 1 by default, or the given amount', () => {
    const gauge = new Registry().gauge({ name: 'in_flight_requests', help: 'In flight.' });
    gauge.inc();
    gauge.inc(5);
    gauge.dec();
    gauge.dec(2.5);
    expect(gauge.get()).toBe(2.5);
    gauge.inc(-1);
    gauge.dec(-0.5);
    expect(gauge.get()).toBe(2);
  });

  it('set, inc and dec work on labelled series', () => {
    const gauge = queueGauge();
    gauge.set({ queue: 'email' }, 10);
    gauge.inc({ queue: 'email' });
    gauge.inc({ queue: 'email' }, 4);
    gauge.dec({ queue: 'email' });
    gauge.dec({ queue: 'email' }, 2);
    gauge.inc({ queue: 'sms' });
    expect(gauge.get({ queue: 'email' })).toBe(12);
    expect(gauge.get({ queue: 'sms' })).toBe(1);
    expect(gauge.get({ queue: 'push' })).toBeUndefined();
  });

  it('allows NaN and ±Infinity in set(), and renders them as NaN, +Inf, -Inf', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const gauge = queueGauge(registry);
    gauge.set({ queue: 'a' }, Number.NaN);
    gauge.set({ queue: 'b' }, Number.POSITIVE_INFINITY);
    gauge.labels({ queue: 'c' }).set(Number.NEGATIVE_INFINITY);
    expect(gauge.get({ queue: 'a' })).toBeNaN();
    const text = await registry.metrics();
    expect(text).toContain('queue_depth{queue="a"} NaN\n');
    expect(text).toContain('queue_depth{queue="b"} +Inf\n');
    expect(text).toContain('queue_depth{queue="c"} -Inf\n');
  });

  it('rejects a non-finite inc() or dec(), and a non-number set()', () => {
    const gauge = queueGauge();
    gauge.set({ queue: 'a' }, 1);
    expect(caught(() => gauge.inc({ queue: 'a' }, Number.NaN))).toMatchObject({
      code: 'INVALID_VALUE',
    });
    expect(caught(() => gauge.dec({ queue: 'a' }, Number.POSITIVE_INFINITY))).toMatchObject({
      code: 'INVALID_VALUE',
    });
    expect(caught(() => gauge.set({ queue: 'a' }, '2' as never))).toMatchObject({
      code: 'INVALID_VALUE',
    });
    expect(gauge.get({ queue: 'a' })).toBe(1);
  });

  it('setToCurrentTime() sets seconds since the epoch from the registry clock', () => {
    const clock = manualClock(1_700_000_000_250);
    const registry = new Registry({ clock });
    const gauge = registry.gauge({ name: 'last_run_timestamp_seconds', help: 'Last run.' });
    gauge.setToCurrentTime();
    expect(gauge.get()).toBe(1_700_000_000.25);
    const labelled = queueGauge(registry);
    clock.advance(750);
    labelled.setToCurrentTime({ queue: 'email' });
    expect(labelled.get({ queue: 'email' })).toBe(1_700_000_001);
    clock.advance(1_000);
    labelled.labels({ queue: 'sms' }).setToCurrentTime();
    expect(labelled.get({ queue: 'sms' })).toBe(1_700_000_002);
  });

  describe('startTimer()', () => {
    it('sets the gauge to the seconds elapsed and returns them', () => {
      vi.useFakeTimers();
      const gauge = new Registry().gauge({ name: 'backup_duration_seconds', help: 'Backup.' });
      const end = gauge.startTimer();
      vi.advanceTimersByTime(1_500);
      expect(end()).toBeCloseTo(1.5, 9);
      expect(gauge.get()).toBeCloseTo(1.5, 9);
    });

    it('sets the series of the start labels merged with the end labels', () => {
      vi.useFakeTimers();
      const gauge = new Registry().gauge({
        name: 'step_duration_seconds',
        help: 'Step.',
        labelNames: ['step', 'outcome'],
      });
      // startTimer's type asks for every label up front; prom-client takes some now, the rest at
      // the end, and the runtime merges them, so the partial start labels are cast here.
      const end = gauge.startTimer({ step: 'fetch' } as Labels<'step' | 'outcome'>);
      vi.advanceTimersByTime(250);
      end({ outcome: 'ok' });
      expect(gauge.get({ step: 'fetch', outcome: 'ok' })).toBeCloseTo(0.25, 9);
    });

    it('works on a bound child', () => {
      vi.useFakeTimers();
      const gauge = queueGauge();
      const end = gauge.labels({ queue: 'email' }).startTimer();
      vi.advanceTimersByTime(2_000);
      expect(end()).toBeCloseTo(2, 9);
      expect(gauge.get({ queue: 'email' })).toBeCloseTo(2, 9);
    });
  });

  describe('labels()', () => {
    it('returns the same child for the same label set, with set/inc/dec', () => {
      const gauge = queueGauge();
      const child = gauge.labels({ queue: 'email' });
      expect(child).toBeInstanceOf(GaugeChild);
      expect(gauge.labels({ queue: 'email' })).toBe(child);
      child.set(10);
      child.inc();
      child.inc(2);
      child.dec();
      child.dec(3);
      expect(gauge.get({ queue: 'email' })).toBe(9);
    });

    it('keeps working after remove() and reset(): it re-creates its series', () => {
      const gauge = queueGauge();
      const child = gauge.labels({ queue: 'email' });
      child.set(10);
      expect(gauge.remove({ queue: 'email' })).toBe(true);
      expect(gauge.get({ queue: 'email' })).toBeUndefined();
      child.inc();
      expect(gauge.get({ queue: 'email' })).toBe(1);
      gauge.reset();
      expect(gauge.get({ queue: 'email' })).toBeUndefined();
      child.set(4);
      expect(gauge.get({ queue: 'email' })).toBe(4);
    });

    it('rejects a non-finite change through the child', () => {
      const child = queueGauge().labels({ queue: 'email' });
      expect(caught(() => child.inc(Number.NaN))).toMatchObject({ code: 'INVALID_VALUE' });
      expect(caught(() => child.set('1' as never))).toMatchObject({ code: 'INVALID_VALUE' });
    });
  });

  describe('collect', () => {
    it('a synchronous callback sets the value before each exposition and snapshot', async () => {
      const registry = new Registry();
      const queue = ['a', 'b'];
      registry.gauge({
        name: 'queue_length',
        help: 'Queue length.',
        collect: (g) => g.set(queue.length),
      });
      expect(await registry.metrics()).toContain('queue_length 2\n');
      queue.push('c');
      const snapshot = registry.snapshot();
      expect(snapshot.metrics[0]).toMatchObject({ series: [{ labels: {}, value: 3 }] });
    });

    it('an asynchronous callback is awaited by metrics()', async () => {
      const registry = new Registry();
      registry.gauge({
        name: 'pool_connections',
        help: 'Connections.',
        labelNames: ['state'],
        collect: async (g) => {
          await Promise.resolve();
          g.set({ state: 'idle' }, 4);
          g.set({ state: 'busy' }, 6);
        },
      });
      const text = await registry.metrics();
      expect(text).toContain('pool_connections{state="idle"} 4\n');
      expect(text).toContain('pool_connections{state="busy"} 6\n');
    });

    it('a callback that throws or rejects leaves the previous value and goes to onError', async () => {
      const events: Array<{ operation: string; error: unknown }> = [];
      const registry = new Registry({
        onError: (error, { operation }) => events.push({ operation, error }),
      });
      let fail: 'no' | 'sync' | 'async' = 'no';
      const failure = new Error('database down');
      registry.gauge({
        name: 'db_size_bytes',
        help: 'Database size.',
        collect: (g) => {
          if (fail === 'sync') throw failure;
          if (fail === 'async') return Promise.reject(failure);
          g.set(1024);
          return undefined;
        },
      });
      expect(await registry.metrics()).toContain('db_size_bytes 1024\n');
      fail = 'sync';
      expect(await registry.metrics()).toContain('db_size_bytes 1024\n');
      fail = 'async';
      expect(await registry.metrics()).toContain('db_size_bytes 1024\n');
      expect(events).toEqual([
        { operation: 'collect db_size_bytes', error: failure },
        { operation: 'collect db_size_bytes', error: failure },
      ]);
    });
  });

  it('renders and snapshots its series', async () => {
    const registry = new Registry();
    const gauge = queueGauge(registry);
    gauge.set({ queue: 'email' }, 3);
    expect(await registry.metrics()).toBe(
      '# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth{queue="email"} 3\n',
    );
    expect(await registry.metrics({ format: 'openmetrics' })).toBe(
      '# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth{queue="email"} 3\n# EOF\n',
    );
    expect(registry.snapshot().metrics).toEqual([
      {
        name: 'queue_depth',
        help: 'Jobs waiting.',
        labelNames: ['queue'],
        type: 'gauge',
        series: [{ labels: { queue: 'email' }, value: 3 }],
      },
    ]);
  });
});
