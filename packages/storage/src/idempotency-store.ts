import type { DurationInput } from '@vigil/core';

/** What `claim` answers. */
export type ClaimResult<T> =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly value: T };

/**
 * Idempotency keys: the first `claim` of a key stores its value and wins; every later claim,
 * until the TTL passes (live while `clock.now() < claimedAt + ttl`, on the store's clock), loses
 * and gets the stored value (for example the first run's result).
 */
export interface IdempotencyStore {
  /** Set-if-absent with TTL. Atomic across clients of the same backend. */
  claim<T>(key: string, value: T, ttl: DurationInput): Promise<ClaimResult<T>>;
  /**
   * Replaces the value of a live key (e.g. a pending marker by the result), keeping its expiry;
   * false if absent or expired.
   */
  update<T>(key: string, value: T): Promise<boolean>;
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Forgets the key (e.g. so that a failed job can be retried under it). */
  release(key: string): Promise<boolean>;
}
