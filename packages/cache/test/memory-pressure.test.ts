import { getHeapStatistics } from 'node:v8';
import { type BackgroundErrorContext, ConfigurationError, Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CacheLike, CacheStats } from '../src/cache-stats.js';
import { memoryPressure } from '../src/memory-pressure.js';
import type { MemoryPressureOptions } from '../src/memory-pressure-options.js';

interface FakeCache extends CacheLike {
  /** How many times `purgeStale()` was called. */
  purges: number;
  /** The fraction of each `shrink()` call. */
  readonly shrinks: number[];
}

/** A cache holding `entries` entries, `expired` of them expired at each purge. */
function fakeCache(
  name: string,
  { entries = 100, expired = 0, failPurge = false, failShrink = false } = {},
): FakeCache {
  return {
    name,
    purges: 0,
    shrinks: [],
    stats: () => ({ name, entries }) as CacheStats,
    purgeStale() {
      this.purges++;
      if (failPurge) throw new Error(`${name} purge broke`);
      return expired;
    },
    shrink(fraction) {
      this.shrinks.push(fraction);
      if (failShrink) throw new Error(`${name} shrink broke`);
      return Math.floor(entries * fraction);
    },
  };
}

/** A heap of 100 bytes, `used` of them in use: set `heap.used` to move the ratio. */
function fakeHeap(used: number) {
  const heap = { used, read: () => ({ used: heap.used, limit: 100 }) };
  return heap;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('memoryPressure strategies', () => {
  it.each([
    ['aggressive', 30_000, 70],
    ['balanced', 120_000, 80],
    ['conservative', 300_000, 90],
    [undefined, 120_000, 80],
  ] as const)('%s: a round every %i ms, shrinking at %i % heap', (strategy, interval, percent) => {
    const clock = manualClock();
    const cache = fakeCache('users');
    const heap = fakeHeap(percent - 1);
    const pressure = memoryPressure({ strategy, caches: [cache], heap: heap.read, timers: clock });

    clock.advance(interval - 1);
    expect(cache.purges).toBe(0);
    clock.advance(1);
    expect(cache.purges).toBe(1);
    expect(cache.shrinks).toEqual([]);

    heap.used = percent;
    clock.advance(interval);
    expect(cache.purges).toBe(2);
    expect(cache.shrinks).toEqual([0.25]);
    expect(pressure.check().heap).toEqual({
      used: percent,
      limit: 100,
      ratio: percent / 100,
      threshold: percent / 100,
    });
    pressure.close();
  });

  it('takes interval and threshold over the strategy’s', () => {
    const clock = manualClock();
    const cache = fakeCache('users');
    memoryPressure({
      strategy: 'conservative',
      interval: '10s',
      threshold: 0.5,
      caches: [cache],
      heap: fakeHeap(50).read,
      timers: clock,
    });
    clock.advance(10_000);
    expect(cache.purges).toBe(1);
    expect(cache.shrinks).toEqual([0.25]);
  });
});

describe('a round', () => {
  it('below the threshold only purges, emitting purged for the caches that had expired entries', () => {
    const users = fakeCache('users', { expired: 3 });
    const sessions = fakeCache('sessions');
    const pressure = memoryPressure({
      caches: [users, sessions],
      heap: fakeHeap(79).read,
      timers: manualClock(),
    });
    const events: unknown[] = [];
    pressure.on('purged', (event) => events.push(['purged', event]));
    pressure.on('pressure', (event) => events.push(['pressure', event]));
    pressure.on('shrunk', (event) => events.push(['shrunk', event]));

    expect(pressure.check()).toEqual({
      purged: [
        { cache: 'users', removed: 3 },
        { cache: 'sessions', removed: 0 },
      ],
      heap: { used: 79, limit: 100, ratio: 0.79, threshold: 0.8 },
      shrunk: [],
    });
    expect(events).toEqual([['purged', { cache: 'users', removed: 3 }]]);
    expect(users.shrinks).toEqual([]);
    expect(sessions.shrinks).toEqual([]);
  });

  it('at the threshold shrinks each cache by the fraction, with events and metrics', async () => {
    const registry = new Registry();
    const users = fakeCache('users', { entries: 200, expired: 1 });
    const sessions = fakeCache('sessions', { entries: 10 });
    const heap = fakeHeap(80);
    const pressure = memoryPressure({
      caches: [users, sessions],
      shrinkFraction: 0.5,
      heap: heap.read,
      registry,
      timers: manualClock(),
    });
    const events: unknown[] = [];
    pressure.on('purged', (event) => events.push(['purged', event]));
    pressure.on('pressure', (event) => events.push(['pressure', event]));
    pressure.on('shrunk', (event) => events.push(['shrunk', event]));

    const round = pressure.check();

    expect(round.shrunk).toEqual([
      { cache: 'users', removed: 100, fraction: 0.5 },
      { cache: 'sessions', removed: 5, fraction: 0.5 },
    ]);
    expect(events).toEqual([
      ['purged', { cache: 'users', removed: 1 }],
      ['pressure', { used: 80, limit: 100, ratio: 0.8, threshold: 0.8 }],
      ['shrunk', { cache: 'users', removed: 100, fraction: 0.5 }],
      ['shrunk', { cache: 'sessions', removed: 5, fraction: 0.5 }],
    ]);
    heap.used = 20;
    pressure.check();
    const text = await registry.metrics();
    expect(text).toContain('vigil_cache_pressure_checks_total 2\n');
    expect(text).toContain('vigil_cache_pressure_shrinks_total{cache="users"} 1\n');
    expect(text).toContain('vigil_cache_pressure_shrinks_total{cache="sessions"} 1\n');
    expect(text).toContain('vigil_cache_pressure_evicted_total{cache="users"} 100\n');
    expect(text).toContain('vigil_cache_pressure_evicted_total{cache="sessions"} 5\n');
    expect(text).toContain('# TYPE vigil_heap_used_ratio gauge\nvigil_heap_used_ratio 0.2\n');
  });

  it('exports each cache’s counters at 0 from the start, and the heap ratio only once read', async () => {
    const registry = new Registry();
    memoryPressure({ caches: [fakeCache('users')], registry, timers: manualClock() });
    const text = await registry.metrics();
    expect(text).toContain('vigil_cache_pressure_checks_total 0\n');
    expect(text).toContain('vigil_cache_pressure_shrinks_total{cache="users"} 0\n');
    expect(text).toContain('vigil_cache_pressure_evicted_total{cache="users"} 0\n');
    expect(text).not.toContain('vigil_heap_used_ratio');
  });

  it('reads the V8 heap by default: used_heap_size against heap_size_limit', () => {
    const pressure = memoryPressure({ caches: [], timers: manualClock() });
    const heap = pressure.check().heap;
    expect(heap?.limit).toBe(getHeapStatistics().heap_size_limit);
    expect(heap?.used).toBeGreaterThan(0);
    expect(heap?.ratio).toBeGreaterThan(0);
    expect(heap?.ratio).toBeLessThan(1);
  });

  it('never calls global.gc()', () => {
    const gc = vi.fn();
    vi.stubGlobal('gc', gc);
    const clock = manualClock();
    const pressure = memoryPressure({
      strategy: 'aggressive',
      caches: [fakeCache('users', { expired: 5 })],
      heap: fakeHeap(99).read,
      timers: clock,
    });
    clock.advance(10 * 30_000);
    pressure.check();
    expect(gc).not.toHaveBeenCalled();
  });
});

describe('failures', () => {
  function recorder() {
    const errors: [string, BackgroundErrorContext][] = [];
    const onError = (error: unknown, context: BackgroundErrorContext) => {
      errors.push([(error as Error).message, context]);
    };
    return { errors, onError };
  }

  it('reports a cache that throws and still runs the others, round after round', () => {
    const clock = manualClock();
    const broken = fakeCache('broken', { failPurge: true, failShrink: true });
    const users = fakeCache('users', { expired: 2 });
    const { errors, onError } = recorder();
    const pressure = memoryPressure({
      caches: [broken, users],
      heap: fakeHeap(90).read,
      timers: clock,
      onError,
    });

    clock.advance(120_000);
    clock.advance(120_000);

    expect(users.purges).toBe(2);
    expect(users.shrinks).toEqual([0.25, 0.25]);
    expect(broken.shrinks).toEqual([0.25, 0.25]);
    expect(errors.slice(0, 2)).toEqual([
      ['broken purge broke', { source: 'memoryPressure', operation: "purge cache 'broken'" }],
      ['broken shrink broke', { source: 'memoryPressure', operation: "shrink cache 'broken'" }],
    ]);
    expect(errors).toHaveLength(4);
    expect(pressure.check()).toMatchObject({
      purged: [{ cache: 'users', removed: 2 }],
      shrunk: [{ cache: 'users', removed: 25, fraction: 0.25 }],
    });
  });

  it('reports a heap function that throws or answers nonsense, and then shrinks nothing', () => {
    const cache = fakeCache('users');
    const { errors, onError } = recorder();
    const answers: (() => { used: number; limit: number })[] = [
      () => {
        throw new Error('no heap');
      },
      () => ({ used: 10, limit: 0 }),
      () => ({ used: Number.NaN, limit: 100 }),
    ];
    for (const heap of answers) {
      const pressure = memoryPressure({ caches: [cache], heap, timers: manualClock(), onError });
      expect(pressure.check()).toMatchObject({ heap: undefined, shrunk: [] });
    }
    expect(cache.purges).toBe(3);
    expect(cache.shrinks).toEqual([]);
    expect(errors.map(([message, context]) => [message, context.operation])).toEqual([
      ['no heap', 'read heap'],
      [
        'heap() should answer { used, limit } in bytes, with a limit above 0, got {"used":10,"limit":0}',
        'read heap',
      ],
      [
        'heap() should answer { used, limit } in bytes, with a limit above 0, got {"used":null,"limit":100}',
        'read heap',
      ],
    ]);
  });

  it('reports a listener that throws; the round goes on', () => {
    const cache = fakeCache('users');
    const { errors, onError } = recorder();
    const pressure = memoryPressure({
      caches: [cache],
      heap: fakeHeap(95).read,
      timers: manualClock(),
      onError,
    });
    pressure.on('pressure', () => {
      throw new Error('listener broke');
    });
    expect(pressure.check().shrunk).toHaveLength(1);
    expect(errors).toEqual([
      ['listener broke', { source: 'memoryPressure', operation: "'pressure' listener" }],
    ]);
  });

  it('without onError, warns once per kind of failure', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const pressure = memoryPressure({
      caches: [fakeCache('broken', { failPurge: true })],
      heap: fakeHeap(10).read,
      timers: manualClock(),
    });
    pressure.check();
    pressure.check();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("memoryPressure: purge cache 'broken' failed in the background"),
      { type: 'VigilWarning', code: 'VIGIL_BACKGROUND_ERROR' },
    );
  });
});

describe('close', () => {
  it('stops the timer; check() still runs a round on demand', () => {
    const clock = manualClock();
    const cache = fakeCache('users');
    const pressure = memoryPressure({ caches: [cache], heap: fakeHeap(10).read, timers: clock });
    clock.advance(120_000);
    pressure.close();
    pressure.close();
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(10 * 120_000);
    expect(cache.purges).toBe(1);
    pressure.check();
    expect(cache.purges).toBe(2);
  });

  it('called from a listener during a round, schedules no further round', () => {
    const clock = manualClock();
    const cache = fakeCache('users', { expired: 1 });
    const pressure = memoryPressure({ caches: [cache], heap: fakeHeap(10).read, timers: clock });
    pressure.on('purged', () => pressure.close());
    clock.advance(120_000);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('runs on the system timers by default, and close() clears them', () => {
    vi.useFakeTimers();
    const cache = fakeCache('users');
    const pressure = memoryPressure({ caches: [cache], heap: fakeHeap(10).read });
    vi.advanceTimersByTime(240_000);
    expect(cache.purges).toBe(2);
    pressure.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('options', () => {
  const caches = [fakeCache('users')];

  function thrown(options: unknown): ConfigurationError {
    try {
      memoryPressure(options as MemoryPressureOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return error as ConfigurationError;
    }
    throw new Error('expected memoryPressure() to throw');
  }

  it.each([
    [undefined, 'memoryPressure: options should be an object, got undefined'],
    [{ caches, strategy: 'eager' }, 'strategy should be one of "aggressive", "balanced"'],
    [{ caches, threshold: 0 }, 'threshold should be a number in (0, 1], such as 0.5'],
    [{ caches, threshold: 80 }, 'threshold should be a number in (0, 1]'],
    [{ caches, shrinkFraction: 1.5 }, 'shrinkFraction should be a number in (0, 1]'],
    [{ caches, heap: { used: 1, limit: 2 } }, 'heap should be a function'],
    [{ caches, registry: {} }, 'registry should be a Registry from @vigil/core'],
    [{ caches, timers: { setTimeout() {} } }, 'timers should be an object with setTimeout'],
    [{ caches, onError: 'log' }, 'onError should be a function'],
    [{ caches, gc: true }, "memoryPressure: unknown option 'gc'"],
    [{}, 'memoryPressure: caches is required'],
    [{ caches: caches[0] }, 'caches should be an array of caches, got {"name":"users"'],
    [{ caches: [{ name: 'users' }] }, 'caches[0] should be a cache with a name, purgeStale()'],
    [{ caches: [fakeCache('')] }, 'caches[0] should be a cache with a name'],
    [
      { caches: [fakeCache('users'), fakeCache('users')] },
      "caches[1] is named 'users' like an earlier one",
    ],
  ])('rejects %j with INVALID_OPTION', (options, message) => {
    const error = thrown(options);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(message);
  });

  it.each([
    [{ caches, interval: 'soon' }, 'memoryPressure: interval'],
    [{ caches, interval: 0 }, 'interval should be longer than zero'],
  ])('rejects %j with INVALID_DURATION', (options, message) => {
    const error = thrown(options);
    expect(error.code).toBe('INVALID_DURATION');
    expect(error.message).toContain(message);
  });
});
