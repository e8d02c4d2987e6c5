import {
  checkOptionsObject,
  optionalInteger,
  optionalNumber,
  optionalString,
  required,
} from '@vigil/core/options';
import { cachesByName } from './cache-routes.js';
import type { CacheLike, CacheStats } from './cache-stats.js';

/** Options of `cacheHealthCheck()`. Every optional field also takes `undefined` (its default). */
export interface CacheHealthCheckOptions {
  /** The caches to judge; their names must be unique. */
  caches: readonly CacheLike[];
  /**
   * The hit rate (`(hits + stale) / reads`, in [0, 1]) below which a cache makes the check warn.
   * Default `0.7`, the "cache hit rate < 70 %" alert.
   */
  minHitRate?: number | undefined;
  /**
   * The reads (hits, stale hits and misses) a cache needs before its hit rate is judged, so that a
   * cold cache does not warn. Default `100`.
   */
  minRequests?: number | undefined;
  /** The check's name, unique within a monitor; default `'cache'`. */
  name?: string | undefined;
}

/** A reading in `details`: `@vigil/health`'s `ObservedValue`. */
export type CacheObservedValue = number | string | boolean | null;

/** What the check's `run` answers: `@vigil/health`'s `CheckOutcome`. */
export interface CacheCheckOutcome {
  /** `warn` when a judged cache's hit rate is under `minHitRate`; never `fail`. */
  status: 'pass' | 'warn';
  /** Why it warns: each cache under the threshold, with its hit rate. */
  output?: string;
  /** Per cache, `<name>.<reading>`: hitRate (null before any read), reads, hits, stale, misses, entries. */
  details?: Readonly<Record<string, CacheObservedValue>>;
}

/**
 * The check `cacheHealthCheck()` returns: a `HealthCheck` of `@vigil/health` (give it to
 * `HealthMonitor`'s `checks`), declared here so that `@vigil/cache` does not depend on it.
 */
export interface CacheHealthCheck {
  readonly name: string;
  readonly componentType: string;
  readonly critical: boolean;
  readonly quick: boolean;
  run(): CacheCheckOutcome;
}

const OWNER = 'cacheHealthCheck';
const KEYS = [
  'caches',
  'minHitRate',
  'minRequests',
  'name',
] as const satisfies readonly (keyof CacheHealthCheckOptions)[];

/**
 * A health check of caches' hit rates: it warns (the service is degraded) while a cache that
 * has served at least `minRequests` reads hits less than `minHitRate` of them, and `output`
 * names each such cache and its hit rate; it passes otherwise. The hit rate is the caches'
 * `stats()`, since each was made. It never fails: a cold or thrashing cache slows the service
 * but does not take it down. Named `'cache'`, non-critical and quick (it only reads `stats()`).
 *
 * ```ts
 * new HealthMonitor({ checks: [cacheHealthCheck({ caches: [users, sessions] })] });
 * ```
 *
 * @throws ConfigurationError `INVALID_OPTION` for a bad option.
 */
export function cacheHealthCheck(options: CacheHealthCheckOptions): CacheHealthCheck {
  const given = checkOptionsObject(OWNER, options, KEYS, {
    required: true,
  }) as Partial<CacheHealthCheckOptions>;
  const caches = cachesByName(
    OWNER,
    required(OWNER, 'caches', given.caches, 'an array of the caches to judge'),
  );
  const minHitRate =
    optionalNumber(OWNER, 'minHitRate', given.minHitRate, { min: 0, max: 1 }) ?? 0.7;
  const minRequests = optionalInteger(OWNER, 'minRequests', given.minRequests, { min: 0 }) ?? 100;
  const name = optionalString(OWNER, 'name', given.name) ?? 'cache';
  return {
    name,
    componentType: 'component',
    critical: false,
    quick: true,
    run: () => judge(caches, minHitRate, minRequests),
  };
}

function judge(
  caches: ReadonlyMap<string, CacheLike>,
  minHitRate: number,
  minRequests: number,
): CacheCheckOutcome {
  const details: Record<string, CacheObservedValue> = {};
  const low: string[] = [];
  for (const [name, cache] of caches) {
    const s: CacheStats = cache.stats();
    const reads = s.hits + s.stale + s.misses;
    details[`${name}.hitRate`] = s.hitRate === undefined ? null : round(s.hitRate);
    details[`${name}.reads`] = reads;
    details[`${name}.hits`] = s.hits;
    details[`${name}.stale`] = s.stale;
    details[`${name}.misses`] = s.misses;
    details[`${name}.entries`] = s.entries;
    if (s.hitRate !== undefined && reads >= minRequests && s.hitRate < minHitRate) {
      low.push(
        `${name}: hit rate ${percent(s.hitRate)} over ${reads} reads (warn below ${percent(minHitRate)})`,
      );
    }
  }
  if (low.length === 0) return { status: 'pass', details };
  return { status: 'warn', output: low.join('; '), details };
}

function round(rate: number): number {
  return Math.round(rate * 10_000) / 10_000;
}

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
