/** A change made on another instance: the L1 entries to drop. Keys and tags, never values. */
export interface TierInvalidation {
  readonly keys?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
  /** The whole cache was cleared. */
  readonly clear?: boolean | undefined;
}

/**
 * A second tier behind a cache's memory (L1): shared by the instances of a service, with a bus
 * that tells every instance what another changed. `redisTier()` of `@vigil/cache/redis` is one.
 * A tier never throws: its failures go to its own `onError`, and a read that fails is a miss.
 */
export interface CacheTier {
  /** The value of `key` and how long it stays (ms; undefined: no expiry); undefined: none. */
  get(
    key: string,
  ): Promise<{ readonly value: unknown; readonly ttl: number | undefined } | undefined>;
  /** Stores `value` for `ttl` ms (0: no expiry), with its tags; tells the other instances. */
  set(key: string, value: unknown, ttl: number, tags: readonly string[] | undefined): Promise<void>;
  /** Deletes keys; tells the other instances. */
  delete(keys: readonly string[]): Promise<void>;
  /** Deletes every key of the tags; tells the other instances (with the keys). */
  invalidateTags(tags: readonly string[]): Promise<void>;
  clear(): Promise<void>;
  /** Listens for the changes other instances made. */
  subscribe(listener: (change: TierInvalidation) => void): void;
  close(): Promise<void>;
}

/** What `Cache`'s `l2` option takes: opens the tier of one cache (by its name). */
export interface CacheTierFactory {
  open(cacheName: string): CacheTier;
}
