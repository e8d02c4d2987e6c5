/** A cache's figures, for `GET /cache`, the health check and memory pressure. */
export interface CacheStats {
  readonly name: string;
  /** Entries held (fresh and stale). */
  readonly entries: number;
  /** Their size by `sizeCalculation`, when the cache has a `maxSize`; else 0. */
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  /** Reads answered with a stale value (stale-while-revalidate, stale-if-error, soft timeout). */
  readonly stale: number;
  /** `(hits + stale) / (hits + stale + misses)`; `undefined` before the first read. */
  readonly hitRate: number | undefined;
  /** Entries removed, by why: `evict` (the LRU bound), `expire`, `delete`, `pressure`. */
  readonly evictions: Readonly<Record<'evict' | 'expire' | 'delete' | 'pressure', number>>;
  /** Loads running now. */
  readonly inflight: number;
}

/** What memory pressure, the routes and the health check need of a cache. */
export interface CacheLike {
  readonly name: string;
  stats(): CacheStats;
  /** Drops the expired entries; answers how many. */
  purgeStale(): number;
  /** Drops the least recently used `fraction` (0–1) of the entries; answers how many. */
  shrink(fraction: number): number;
}
