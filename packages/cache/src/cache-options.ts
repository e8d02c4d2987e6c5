import {
  type Clock,
  type DurationInput,
  type OnError,
  type Registry,
  systemClock,
  systemTimers,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  hasMethods,
  invalidOption,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalOnError,
  optionalRegistry,
  optionalString,
  optionalTimers,
} from '@vigil/core/options';
import type { CacheTierFactory } from './cache-tier.js';

/** How a value is loaded and kept: the cache's defaults, and each call's overrides. */
export interface LoadOptions {
  /** How long a value is fresh. Default: the cache's `ttl` (0: until evicted). */
  ttl?: DurationInput | undefined;
  /** After `ttl`, how long the stale value is served at once while it is refreshed in the background. */
  staleWhileRevalidate?: DurationInput | undefined;
  /** After `ttl`, how long the stale value is served when the loader fails (or is too slow). */
  staleIfError?: DurationInput | undefined;
  /** A loader slower than this, with a stale value at hand, answers the stale value and finishes in the background. */
  softTimeout?: DurationInput | undefined;
  /** A loader slower than this fails with resilience's `TimeoutError`, its signal aborted. */
  hardTimeout?: DurationInput | undefined;
  /** Tags of the value, for `invalidateTag`. */
  tags?: readonly string[] | undefined;
}

/** Options of `new Cache(options)`. */
export interface CacheOptions<V = unknown> extends Omit<LoadOptions, 'tags'> {
  /** Names the cache in metrics, `GET /cache` and events. */
  name: string;
  /** At most this many entries (the least recently used go first). */
  max?: number | undefined;
  /** At most this total size, by `sizeCalculation`. */
  maxSize?: number | undefined;
  /** An entry's size, for `maxSize`: a positive integer. */
  sizeCalculation?: ((value: V, key: string) => number) | undefined;
  /**
   * A second tier shared by the service's instances: `redisTier({ url })` of
   * `@vigil/cache/redis`. Reads go memory → tier → loader; writes go to both; a change on one
   * instance drops the others' memory copies.
   */
  l2?: CacheTierFactory | undefined;
  /** Keep `vigil_cache_*` metrics here. Default: none (and the hit path pays for none). */
  registry?: Registry | undefined;
  clock?: Clock | undefined;
  timers?: Timers | undefined;
  /** Told about failures nobody awaits: a background refresh that failed. */
  onError?: OnError | undefined;
}

/** @internal Durations of `LoadOptions`, checked, in ms. */
export interface LoadSettings {
  readonly ttl: number;
  readonly staleWhileRevalidate: number;
  readonly staleIfError: number;
  readonly softTimeout: number | undefined;
  readonly hardTimeout: number | undefined;
}

/** @internal The options checked. */
export interface CacheConfig<V> extends LoadSettings {
  readonly name: string;
  readonly max: number | undefined;
  readonly maxSize: number | undefined;
  readonly sizeCalculation: ((value: V, key: string) => number) | undefined;
  readonly l2: CacheTierFactory | undefined;
  readonly registry: Registry | undefined;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

const LOAD_KEYS = [
  'ttl',
  'staleWhileRevalidate',
  'staleIfError',
  'softTimeout',
  'hardTimeout',
] as const;
const KEYS = [
  'name',
  'max',
  'maxSize',
  'sizeCalculation',
  'l2',
  'registry',
  'clock',
  'timers',
  'onError',
  ...LOAD_KEYS,
] as const;

/** @internal Checks the durations of load options over `defaults`. */
export function loadSettings(
  owner: string,
  given: Readonly<Record<string, unknown>>,
  defaults: LoadSettings | undefined,
): LoadSettings {
  const duration = (field: string) => optionalDuration(owner, field, given[field]);
  const positive = (field: string) =>
    optionalDuration(owner, field, given[field], { positive: true });
  return {
    ttl: duration('ttl') ?? defaults?.ttl ?? 0,
    staleWhileRevalidate: duration('staleWhileRevalidate') ?? defaults?.staleWhileRevalidate ?? 0,
    staleIfError: duration('staleIfError') ?? defaults?.staleIfError ?? 0,
    softTimeout: positive('softTimeout') ?? defaults?.softTimeout,
    hardTimeout: positive('hardTimeout') ?? defaults?.hardTimeout,
  };
}

/** @internal Checks the options once, at construction. */
export function cacheConfig<V>(options: CacheOptions<V>): CacheConfig<V> {
  const given = checkOptionsObject('Cache', options, KEYS, { required: true });
  const name = optionalString('Cache', 'name', given['name']);
  if (name === undefined)
    throw invalidOption('Cache', 'name is required: it names the cache in metrics');
  const owner = `Cache '${name}'`;
  const max = optionalInteger(owner, 'max', given['max'], { min: 1 });
  const maxSize = optionalInteger(owner, 'maxSize', given['maxSize'], { min: 1 });
  const sizeCalculation = given['sizeCalculation'];
  if (sizeCalculation !== undefined && typeof sizeCalculation !== 'function') {
    throw invalidOption(owner, 'sizeCalculation should be a function (value, key) => size');
  }
  if (maxSize !== undefined && sizeCalculation === undefined) {
    throw invalidOption(owner, 'maxSize needs a sizeCalculation: how big each value is');
  }
  const settings = loadSettings(owner, given, undefined);
  if (max === undefined && maxSize === undefined && settings.ttl === 0) {
    throw invalidOption(
      owner,
      'needs a bound: max (entries), maxSize (with sizeCalculation) or a ttl; a cache without one grows until the process runs out of memory',
    );
  }
  return {
    ...settings,
    name,
    max,
    maxSize,
    sizeCalculation: sizeCalculation as CacheConfig<V>['sizeCalculation'],
    l2: checkTier(owner, given['l2']),
    registry: optionalRegistry<Registry>(owner, 'registry', given['registry']),
    clock: optionalClock(owner, 'clock', given['clock']) ?? systemClock,
    timers: optionalTimers(owner, 'timers', given['timers']) ?? systemTimers,
    onError: optionalOnError(owner, 'onError', given['onError']),
  };
}

function checkTier(owner: string, value: unknown): CacheTierFactory | undefined {
  if (value === undefined) return undefined;
  if (!hasMethods(value, ['open'])) {
    throw invalidOption(
      owner,
      'l2 should be a tier such as redisTier({ url }) from @vigil/cache/redis',
    );
  }
  return value as CacheTierFactory;
}
