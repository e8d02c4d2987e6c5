import { getHeapStatistics } from 'node:v8';
import {
  type DurationInput,
  type OnError,
  type Registry,
  systemTimers,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalChoice,
  optionalDuration,
  optionalFunction,
  optionalOnError,
  optionalRate,
  optionalRegistry,
  optionalTimers,
  required,
} from '@vigil/core/options';
import type { CacheLike } from './cache-stats.js';

/** How eagerly `memoryPressure()` acts: how often it looks, and at what heap use it shrinks. */
export type PressureStrategy = 'aggressive' | 'balanced' | 'conservative';

const STRATEGIES = [
  'aggressive',
  'balanced',
  'conservative',
] as const satisfies readonly PressureStrategy[];

/** What each strategy means: the interval between rounds (ms) and the heap ratio that shrinks. */
export const PRESSURE_STRATEGIES: Readonly<
  Record<PressureStrategy, { readonly interval: number; readonly threshold: number }>
> = {
  aggressive: { interval: 30_000, threshold: 0.7 },
  balanced: { interval: 120_000, threshold: 0.8 },
  conservative: { interval: 300_000, threshold: 0.9 },
};

/** Heap use in bytes, against the most the heap may grow to. */
export interface HeapUsage {
  readonly used: number;
  readonly limit: number;
}

/**
 * Options of `memoryPressure(options)`. Every field but `caches` is optional and also takes
 * `undefined` (the default), so options can be passed through from configuration.
 */
export interface MemoryPressureOptions {
  /** The caches to purge and, under pressure, to shrink. Names must be unique (metric labels). */
  caches: readonly CacheLike[];
  /**
   * `'aggressive'` (a round every 30 s, shrinks at 70 % heap), `'balanced'` (2 min, 80 %) or
   * `'conservative'` (5 min, 90 %). Default `'balanced'`.
   */
  strategy?: PressureStrategy | undefined;
  /** Time between rounds, instead of the strategy's; the first round runs one interval in. */
  interval?: DurationInput | undefined;
  /**
   * Heap ratio (used / limit, in (0, 1]) at or above which the caches shrink, instead of the
   * strategy's.
   */
  threshold?: number | undefined;
  /** Share of each cache's entries dropped under pressure, in (0, 1]. Default `0.25`. */
  shrinkFraction?: number | undefined;
  /**
   * Reads heap use. Default: `v8.getHeapStatistics()`, `used_heap_size` against
   * `heap_size_limit` (the old-space limit set by `--max-old-space-size`, not the machine's RAM).
   */
  heap?: (() => HeapUsage) | undefined;
  /**
   * Keep metrics in this registry: `vigil_cache_pressure_checks_total`,
   * `vigil_cache_pressure_shrinks_total{cache}`, `vigil_cache_pressure_evicted_total{cache}` and
   * the gauge `vigil_heap_used_ratio`.
   */
  registry?: Registry | undefined;
  /**
   * Where the rounds are scheduled. Default core's `systemTimers`, whose timers never keep the
   * process alive; in tests, a `manualClock()` from `@vigil/core/testing`.
   */
  timers?: Timers | undefined;
  /**
   * Called with what fails in a round: a cache's `purgeStale()` or `shrink()`, the `heap`
   * function, an event listener. Default: a `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) once per
   * kind of failure.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface PressureConfig {
  readonly caches: readonly CacheLike[];
  readonly interval: number;
  readonly threshold: number;
  readonly shrinkFraction: number;
  readonly heap: () => HeapUsage;
  readonly registry: Registry | undefined;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

const OWNER = 'memoryPressure';
const KEYS = [
  'caches',
  'strategy',
  'interval',
  'threshold',
  'shrinkFraction',
  'heap',
  'registry',
  'timers',
  'onError',
] as const satisfies readonly (keyof MemoryPressureOptions)[];

/**
 * @internal Checks the options once, at construction: each bad one throws `ConfigurationError`
 * (`INVALID_OPTION`, or `INVALID_DURATION` for `interval`) naming the field and the value.
 */
export function pressureConfig(options: MemoryPressureOptions | undefined): PressureConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const strategy = optionalChoice(OWNER, 'strategy', given.strategy, STRATEGIES) ?? 'balanced';
  const defaults = PRESSURE_STRATEGIES[strategy];
  return {
    caches: checkCaches(given.caches),
    interval:
      optionalDuration(OWNER, 'interval', given.interval, { positive: true }) ?? defaults.interval,
    threshold: optionalRate(OWNER, 'threshold', given.threshold) ?? defaults.threshold,
    shrinkFraction: optionalRate(OWNER, 'shrinkFraction', given.shrinkFraction) ?? 0.25,
    heap: optionalFunction<() => HeapUsage>(OWNER, 'heap', given.heap) ?? v8HeapUsage,
    registry: optionalRegistry<Registry>(OWNER, 'registry', given.registry),
    timers: optionalTimers(OWNER, 'timers', given.timers) ?? systemTimers,
    onError: optionalOnError(OWNER, 'onError', given.onError),
  };
}

function checkCaches(value: unknown): readonly CacheLike[] {
  const caches = required(OWNER, 'caches', value, 'memoryPressure({ caches: [usersCache] })');
  if (!Array.isArray(caches)) {
    throw invalidOption(OWNER, `caches should be an array of caches, got ${describeValue(caches)}`);
  }
  const names = new Set<string>();
  for (const [index, cache] of caches.entries()) {
    // Only what a round calls is checked: `stats()` is not used here.
    const name = hasMethods(cache, ['purgeStale', 'shrink'])
      ? (cache as CacheLike).name
      : undefined;
    if (typeof name !== 'string' || name === '') {
      throw invalidOption(
        OWNER,
        `caches[${index}] should be a cache with a name, purgeStale() and shrink(), got ${describeValue(cache)}`,
      );
    }
    if (names.has(name)) {
      throw invalidOption(
        OWNER,
        `caches[${index}] is named '${name}' like an earlier one; each cache needs its own name, as it labels the metrics`,
      );
    }
    names.add(name);
  }
  // A copy: a cache pushed onto the caller's array later is not watched half-way.
  return [...caches] as CacheLike[];
}

/** Heap use as V8 sees it: the live heap against the limit the old space may grow to. */
function v8HeapUsage(): HeapUsage {
  const { used_heap_size, heap_size_limit } = getHeapStatistics();
  return { used: used_heap_size, limit: heap_size_limit };
}
