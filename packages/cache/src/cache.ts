import { type BackgroundErrorReporter, backgroundErrorReporter, systemClock } from '@vigil/core';
import { checkOptionsObject } from '@vigil/core/options';
import { TimeoutError } from '@vigil/resilience';
import { EventEmitter } from 'eventemitter3';
import { LRUCache } from 'lru-cache';
import { type CacheMetrics, cacheMetrics } from './cache-metrics.js';
import {
  type CacheConfig,
  type CacheOptions,
  cacheConfig,
  type LoadOptions,
  type LoadSettings,
  loadSettings,
} from './cache-options.js';
import type { CacheLike, CacheStats } from './cache-stats.js';
import type { CacheTier } from './cache-tier.js';
import { CacheKeyError } from './errors.js';
import { isUncached, type Uncached } from './uncached.js';
import { type WrapOptions, wrap } from './wrap.js';

/** Why an entry left the cache. */
export type EvictionReason = 'evict' | 'expire' | 'delete' | 'pressure';

/** Events of a `Cache`. Reads emit none (the hit path stays cheap); removals and failures do. */
export interface CacheEvents {
  evict: [event: { readonly key: string; readonly reason: EvictionReason }];
  /** A background refresh (stale-while-revalidate, a soft timeout) failed; the stale value stays. */
  'refresh-error': [event: { readonly key: string; readonly error: unknown }];
}

/** What a loader gets. */
export interface LoaderContext<V> {
  readonly key: string;
  /** Aborted at the hard timeout. */
  readonly signal: AbortSignal;
  /** The stale value, when there is one. */
  readonly stale: V | undefined;
}

/** Loads a value on a miss: the value (`undefined`: nothing cached), or `uncached(value)`. */
export type Loader<V> = (
  context: LoaderContext<V>,
) => V | Uncached<V> | undefined | Promise<V | Uncached<V> | undefined>;

interface Load<V> {
  readonly promise: Promise<V | undefined>;
}

/** The signal of a load without a hard timeout: nothing aborts it. */
const NEVER_ABORTED = new AbortController().signal;

const LOAD_KEYS = [
  'ttl',
  'staleWhileRevalidate',
  'staleIfError',
  'softTimeout',
  'hardTimeout',
  'tags',
] as const;

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '') {
    throw new CacheKeyError(
      `a cache key is a non-empty string, got ${typeof key === 'string' ? 'an empty string' : typeof key}`,
    );
  }
  return key;
}

/**
 * A cache on `lru-cache`: bounded by entries, size or TTL, with stale-while-revalidate,
 * stale-if-error, soft and hard loader timeouts, one load per key at a time (every concurrent
 * caller gets its result or its error), tags, and metrics when given a registry.
 *
 * `null` is a value and is cached; `undefined` is "nothing": never cached. A loader answers
 * `uncached(value)` to give a value without caching it.
 *
 * ```ts
 * const users = new Cache<User>({ name: 'users', max: 10_000, ttl: '5m', staleWhileRevalidate: '1m' });
 * const user = await users.getOrSet(`user:${id}`, () => db.user(id));
 * ```
 */
export class Cache<V = unknown> extends EventEmitter<CacheEvents> implements CacheLike {
  readonly name: string;
  readonly #config: CacheConfig<V>;
  readonly #lru: LRUCache<string, V & {}>;
  /** Whether entries stay past their ttl (a grace for stale reads): then freshness is checked. */
  readonly #graceful: boolean;
  /** Grace (ms) of entries set with a grace other than the cache's. */
  readonly #graceOf = new Map<string, { swr: number; sie: number }>();
  readonly #tagsOf = new Map<string, readonly string[]>();
  readonly #keysOf = new Map<string, Set<string>>();
  readonly #loads = new Map<string, Load<V>>();
  readonly #metrics: CacheMetrics | undefined;
  readonly #report: BackgroundErrorReporter;
  /** The shared tier, if any. */
  readonly #tier: CacheTier | undefined;
  /** Set while `shrink()` deletes, so that the removals count as `pressure`. */
  #pressure = false;
  #hits = 0;
  #misses = 0;
  #stale = 0;
  readonly #evictions = { evict: 0, expire: 0, delete: 0, pressure: 0 };

  constructor(options: CacheOptions<V>) {
    super();
    const config = cacheConfig(options);
    this.#config = config;
    this.name = config.name;
    this.#report = backgroundErrorReporter(`Cache '${config.name}'`, config.onError);
    this.#graceful = config.staleWhileRevalidate > 0 || config.staleIfError > 0;
    const clock = config.clock;
    const lruOptions: LRUCache.Options<string, V & {}, unknown> = {
      perf: { now: () => clock.now() },
      // lru-cache caches "now" for a millisecond on a real timer; an injected clock is read each time.
      ...(clock === systemClock ? {} : { ttlResolution: 0 }),
      dispose: (_value, key, reason) => this.#removed(key, reason),
    } as LRUCache.Options<string, V & {}, unknown>;
    const settings = lruOptions as unknown as Record<string, unknown>;
    if (config.max !== undefined) settings['max'] = config.max;
    if (config.maxSize !== undefined) {
      settings['maxSize'] = config.maxSize;
      settings['sizeCalculation'] = config.sizeCalculation;
    }
    if (config.ttl !== 0) {
      settings['ttl'] = config.ttl + Math.max(config.staleWhileRevalidate, config.staleIfError);
    }
    // Bounded by time alone: lru-cache drops expired entries on timers of its own.
    if (config.max === undefined && config.maxSize === undefined) settings['ttlAutopurge'] = true;
    this.#lru = new LRUCache<string, V & {}>(lruOptions);
    if (config.registry !== undefined)
      this.#metrics = cacheMetrics(config.registry, this, config.name);
    this.#tier = config.l2?.open(config.name);
    // Another instance changed these: drop the copies in memory (the tier has the new values).
    this.#tier?.subscribe(({ keys, tags, clear }) => {
      if (clear === true) this.#lru.clear();
      for (const key of keys ?? []) this.#lru.delete(key);
      for (const tag of tags ?? []) this.#invalidateLocal(tag);
    });
  }

  #removed(key: string, reason: LRUCache.DisposeReason): void {
    const tags = this.#tagsOf.get(key);
    if (tags !== undefined) {
      this.#tagsOf.delete(key);
      for (const tag of tags) {
        const keys = this.#keysOf.get(tag);
        keys?.delete(key);
        if (keys?.size === 0) this.#keysOf.delete(tag);
      }
    }
    if (reason === 'set' || reason === 'fetch') return;
    this.#graceOf.delete(key);
    const why: EvictionReason = this.#pressure ? 'pressure' : reason;
    this.#evictions[why]++;
    this.#metrics?.evicted(why);
    if (this.listenerCount('evict') > 0) this.emit('evict', { key, reason: why });
  }

  /** The fresh value of `key`, or `undefined` (a stale value counts as a miss here). */
  get(key: string): V | undefined {
    const value = this.#lru.get(key);
    // Kept small, so that V8 inlines lru-cache's get into it: the rest is in #getChecked.
    if (value === undefined || this.#graceful || this.#graceOf.size > 0) {
      return this.#getChecked(key, value);
    }
    this.#hits++;
    return value;
  }

  #getChecked(key: string, value: V | undefined): V | undefined {
    if (value !== undefined && this.#fresh(key)) {
      this.#hits++;
      return value;
    }
    this.#misses++;
    return undefined;
  }

  /** Whether `key` has a fresh value; does not count as a read, nor make it recent. */
  has(key: string): boolean {
    return this.#lru.has(key) && (!this.#checksFreshness() || this.#fresh(key));
  }

  /** The value of `key`, fresh or stale, without counting a read or making it recent. */
  peek(key: string): V | undefined {
    return this.#lru.peek(key);
  }

  /**
   * Stores `value` (`undefined`: deletes the key instead).
   *
   * @throws CacheKeyError for a key that is not a non-empty string; ConfigurationError for bad options.
   */
  set(key: string, value: V, options?: LoadOptions): void {
    checkKey(key);
    const given = checkOptionsObject('cache.set()', options, LOAD_KEYS);
    const settings = loadSettings('cache.set()', given, this.#config);
    const tags = given['tags'] as readonly string[] | undefined;
    this.#store(key, value, settings, tags);
    this.#shareWrite(key, value, settings, tags);
  }

  /** Writes to the tier in the background (it never throws); a tier-less cache does nothing. */
  #shareWrite(
    key: string,
    value: V | undefined,
    settings: LoadSettings,
    tags: readonly string[] | undefined,
  ): void {
    const tier = this.#tier;
    if (tier === undefined) return;
    if (value === undefined) {
      void tier.delete([key]);
      return;
    }
    const grace = Math.max(settings.staleWhileRevalidate, settings.staleIfError);
    void tier.set(key, value, settings.ttl === 0 ? 0 : settings.ttl + grace, tags);
  }

  #store(
    key: string,
    value: V | undefined,
    settings: LoadSettings,
    tags: readonly string[] | undefined,
  ): void {
    if (value === undefined) {
      this.#lru.delete(key);
      return;
    }
    const grace = Math.max(settings.staleWhileRevalidate, settings.staleIfError);
    this.#lru.set(
      key,
      value as V & {},
      settings.ttl === 0 ? { ttl: 0 } : { ttl: settings.ttl + grace },
    );
    if (
      settings.staleWhileRevalidate !== this.#config.staleWhileRevalidate ||
      settings.staleIfError !== this.#config.staleIfError
    ) {
      this.#graceOf.set(key, { swr: settings.staleWhileRevalidate, sie: settings.staleIfError });
    }
    if (tags !== undefined && tags.length > 0) {
      this.#tagsOf.set(key, [...tags]);
      for (const tag of tags) {
        let keys = this.#keysOf.get(tag);
        if (keys === undefined) {
          keys = new Set();
          this.#keysOf.set(tag, keys);
        }
        keys.add(key);
      }
    }
  }

  /** The grace windows of `key` (ms): stale-while-revalidate, stale-if-error. */
  #grace(key: string): { swr: number; sie: number } {
    return (
      this.#graceOf.get(key) ?? {
        swr: this.#config.staleWhileRevalidate,
        sie: this.#config.staleIfError,
      }
    );
  }

  /** How long ago `key` went stale (ms); 0 or less: fresh. */
  #staleFor(key: string): number {
    const { swr, sie } = this.#grace(key);
    return Math.max(swr, sie) - this.#lru.getRemainingTTL(key);
  }

  /** Whether an entry may be held past its ttl, so that a read must check it is still fresh. */
  #checksFreshness(): boolean {
    return this.#graceful || this.#graceOf.size > 0;
  }

  #fresh(key: string): boolean {
    return this.#staleFor(key) <= 0;
  }

  /** Deletes `key` (and, with a tier, on every instance). */
  delete(key: string): boolean {
    void this.#tier?.delete([key]);
    return this.#lru.delete(key);
  }

  /** Removes every entry (and, with a tier, on every instance). */
  clear(): void {
    void this.#tier?.clear();
    this.#lru.clear();
  }

  /** Removes every entry tagged `tag` (with a tier, on every instance); answers how many here. */
  invalidateTag(tag: string): number {
    void this.#tier?.invalidateTags([tag]);
    return this.#invalidateLocal(tag);
  }

  #invalidateLocal(tag: string): number {
    const keys = this.#keysOf.get(tag);
    if (keys === undefined) return 0;
    let removed = 0;
    for (const key of [...keys]) if (this.#lru.delete(key)) removed++;
    return removed;
  }

  /** Removes every entry tagged with any of `tags`; answers how many. */
  invalidateTags(tags: readonly string[]): number {
    void this.#tier?.invalidateTags(tags);
    let removed = 0;
    for (const tag of tags) removed += this.#invalidateLocal(tag);
    return removed;
  }

  /**
   * The value of `key`: fresh from the cache; stale within `staleWhileRevalidate` (refreshed in
   * the background); else loaded, once for every concurrent caller. When the load fails, or is
   * slower than `softTimeout`, a value stale within `staleIfError` is answered instead.
   *
   * @throws what the loader throws; resilience's `TimeoutError` past `hardTimeout`;
   *   CacheKeyError for a bad key.
   */
  async getOrSet(key: string, loader: Loader<V>, options?: LoadOptions): Promise<V | undefined> {
    checkKey(key);
    const value = this.#lru.get(key);
    if (value !== undefined) {
      const staleFor = this.#checksFreshness() ? this.#staleFor(key) : 0;
      if (staleFor <= 0) {
        this.#hits++;
        return value;
      }
      if (staleFor <= this.#grace(key).swr) {
        this.#stale++;
        this.#refresh(key, loader, options, value);
        return value;
      }
    }
    this.#misses++;
    const settings = this.#settings(options);
    const load =
      this.#tier === undefined
        ? this.#load(key, loader, options, value)
        : this.#throughTier(key, loader, options, value);
    if (value === undefined) return load;
    // A stale value within stale-if-error: answered when the load fails or is too slow.
    return this.#withFallback(load, value, settings.softTimeout);
  }

  #settings(options: LoadOptions | undefined): LoadSettings {
    if (options === undefined) return this.#config;
    return loadSettings(
      'cache.getOrSet()',
      checkOptionsObject('cache.getOrSet()', options, LOAD_KEYS),
      this.#config,
    );
  }

  #withFallback(
    load: Promise<V | undefined>,
    stale: V,
    softTimeout: number | undefined,
  ): Promise<V | undefined> {
    const { timers } = this.#config;
    return new Promise((resolve) => {
      let done = false;
      const settle = (value: V | undefined, wasStale: boolean) => {
        if (done) return;
        done = true;
        if (timer !== undefined) timers.clearTimeout(timer);
        if (wasStale) {
          this.#stale++;
        }
        resolve(value);
      };
      const timer =
        softTimeout === undefined
          ? undefined
          : timers.setTimeout(() => settle(stale, true), softTimeout);
      load.then(
        (value) => settle(value, false),
        () => settle(stale, true),
      );
    });
  }

  /** Refreshes `key` in the background; a failure is reported, the stale value stays. */
  #refresh(key: string, loader: Loader<V>, options: LoadOptions | undefined, stale: V): void {
    this.#load(key, loader, options, stale).catch((error: unknown) => {
      this.#report(error, `refresh of ${key}`);
      if (this.listenerCount('refresh-error') > 0) this.emit('refresh-error', { key, error });
    });
  }

  /** A miss in memory: the tier's value if it has one (kept in memory too), else a load. */
  #throughTier(
    key: string,
    loader: Loader<V>,
    options: LoadOptions | undefined,
    stale: V | undefined,
  ): Promise<V | undefined> {
    const tier = this.#tier as CacheTier;
    return this.#load(
      key,
      async (context) => {
        const shared = await tier.get(key);
        if (shared !== undefined) return fromTier(shared.value as V, shared.ttl);
        return loader(context);
      },
      options,
      stale,
    );
  }

  /** One load per key at a time: a second caller joins the first's. */
  #load(
    key: string,
    loader: Loader<V>,
    options: LoadOptions | undefined,
    stale: V | undefined,
  ): Promise<V | undefined> {
    const running = this.#loads.get(key);
    if (running !== undefined) return running.promise;
    const settings = this.#settings(options);
    const tags = options?.tags;
    const { clock, timers } = this.#config;
    // A signal only a hard timeout can abort: no controller to make when there is none.
    const abort = settings.hardTimeout === undefined ? undefined : new AbortController();
    const started = clock.now();
    const promise = new Promise<V | undefined>((resolve, reject) => {
      let settled = false;
      const timer =
        settings.hardTimeout === undefined
          ? undefined
          : timers.setTimeout(() => {
              settled = true;
              const error = new TimeoutError(settings.hardTimeout as number);
              abort?.abort(error);
              reject(error);
            }, settings.hardTimeout);
      Promise.resolve()
        .then(() => loader({ key, signal: abort?.signal ?? NEVER_ABORTED, stale }))
        .then(
          (result) => {
            if (timer !== undefined) timers.clearTimeout(timer);
            if (settled) return;
            settled = true;
            if (isUncached(result)) {
              resolve(result.value as V);
              return;
            }
            if (isFromTier(result)) {
              // The tier's value: kept in memory for what is left of its time, not written back.
              const grace = Math.max(settings.staleWhileRevalidate, settings.staleIfError);
              const left =
                result.ttl === undefined
                  ? settings
                  : { ...settings, ttl: Math.max(1, result.ttl - grace) };
              this.#store(key, result.value as V, left, tags);
              resolve(result.value as V);
              return;
            }
            this.#store(key, result as V | undefined, settings, tags);
            this.#shareWrite(key, result as V | undefined, settings, tags);
            resolve(result as V | undefined);
          },
          (error: unknown) => {
            if (timer !== undefined) timers.clearTimeout(timer);
            if (settled) return;
            settled = true;
            reject(error);
          },
        );
    }).finally(() => {
      this.#loads.delete(key);
      this.#metrics?.loaded((clock.now() - started) / 1000);
    });
    promise.catch(() => {
      this.#metrics?.loaderError.inc();
    });
    this.#loads.set(key, { promise });
    return promise;
  }

  /** Drops the expired entries; answers how many went. */
  purgeStale(): number {
    const before = this.#lru.size;
    this.#lru.purgeStale();
    return before - this.#lru.size;
  }

  /** Drops the least recently used `fraction` (0–1) of the entries; answers how many went. */
  shrink(fraction: number): number {
    const count = Math.min(
      this.#lru.size,
      Math.ceil(this.#lru.size * Math.min(1, Math.max(0, fraction))),
    );
    const victims: string[] = [];
    for (const key of this.#lru.rkeys()) {
      if (victims.length >= count) break;
      victims.push(key);
    }
    this.#pressure = true;
    try {
      for (const key of victims) this.#lru.delete(key);
    } finally {
      this.#pressure = false;
    }
    return victims.length;
  }

  /** The cache's figures. */
  stats(): CacheStats {
    const reads = this.#hits + this.#stale + this.#misses;
    return {
      name: this.name,
      entries: this.#lru.size,
      bytes: this.#lru.calculatedSize ?? 0,
      hits: this.#hits,
      misses: this.#misses,
      stale: this.#stale,
      hitRate: reads === 0 ? undefined : (this.#hits + this.#stale) / reads,
      evictions: { ...this.#evictions },
      inflight: this.#loads.size,
    };
  }

  /**
   * `fn` with its results cached: the key from `options.key(...args)`, or `name` and the
   * arguments as JSON. Calls with the same key share one load.
   */
  wrap<A extends unknown[]>(
    name: string,
    fn: (...args: A) => V | Promise<V>,
    options?: WrapOptions<A>,
  ): (...args: A) => Promise<V | undefined> {
    return wrap(this, name, fn, options);
  }

  /** Entries held (fresh and stale). */
  get size(): number {
    return this.#lru.size;
  }

  /** Stops reporting metrics for this cache and closes its tier (its entries stay in memory). */
  async close(): Promise<void> {
    this.#metrics?.forget();
    await this.#tier?.close();
  }
}

const FROM_TIER = Symbol('vigil.cache.fromTier');

/** A loader's answer that came from the tier, with the time it has left there. */
interface FromTier<V> {
  readonly [FROM_TIER]: true;
  readonly value: V;
  readonly ttl: number | undefined;
}

function fromTier<V>(value: V, ttl: number | undefined): V {
  return { [FROM_TIER]: true, value, ttl } as FromTier<V> as unknown as V;
}

function isFromTier(value: unknown): value is FromTier<unknown> {
  return (
    typeof value === 'object' && value !== null && (value as FromTier<unknown>)[FROM_TIER] === true
  );
}
