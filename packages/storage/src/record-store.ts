import type { DurationInput } from '@vigil/core';

/** A stored JSON value with its version. */
export interface StoredRecord<T = unknown> {
  readonly key: string;
  readonly value: T;
  /** 1 on the first write, +1 on every later write of the key. */
  readonly version: number;
  /** When the record expires (ms since the epoch), if it has a TTL. */
  readonly expiresAt?: number;
}

/** Options of `set` and `compareAndSet`. */
export interface RecordWriteOptions {
  /**
   * Time to live, on the store's clock: the record expires at `now + ttl` and is live while
   * `clock.now() < expiresAt`; after that it is gone as if deleted (versions restart at 1).
   * Default: no expiry; a write without `ttl` clears an earlier one.
   */
  readonly ttl?: DurationInput;
}

/** A page of `list`. */
export interface RecordPage<T = unknown> {
  /** Records in increasing key order. */
  readonly records: ReadonlyArray<StoredRecord<T>>;
  /** Pass to the next `list` call for the next page; absent on the last page. */
  readonly cursor?: string;
}

/**
 * Namespaced key → JSON values (anything `JSON.stringify` round-trips), with optional TTL and
 * compare-and-set by version for concurrent writers.
 */
export interface RecordStore {
  get<T = unknown>(namespace: string, key: string): Promise<StoredRecord<T> | undefined>;
  /** Writes unconditionally; returns the record with its new version. */
  set<T>(
    namespace: string,
    key: string,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T>>;
  /**
   * Writes only when the current version is `expectedVersion` (`0`: only when the key does not
   * exist, or has expired). Returns the new record, or `undefined` when another writer got there
   * first. Atomic across clients of the same backend.
   */
  compareAndSet<T>(
    namespace: string,
    key: string,
    expectedVersion: number,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T> | undefined>;
  /** Returns whether a live record was deleted. */
  delete(namespace: string, key: string): Promise<boolean>;
  /**
   * Live records of `namespace` whose key starts with `prefix`, in key order. `limit` 1–10,000,
   * default 100. Pass the returned `cursor` (with the same prefix) for the next page.
   */
  list<T = unknown>(
    namespace: string,
    prefix: string,
    options?: { readonly limit?: number; readonly cursor?: string },
  ): Promise<RecordPage<T>>;
}
