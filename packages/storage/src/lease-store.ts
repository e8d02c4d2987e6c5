import type { DurationInput } from '@vigil/core';

/** A held lease. */
export interface Lease {
  readonly name: string;
  readonly owner: string;
  /**
   * Fencing token: increases every time the lease passes to a new holder (after a release or an
   * expiry), never within one holding. Send it with writes so that a stale holder is refused.
   */
  readonly token: number;
  /**
   * When the lease expires unless renewed, ms since the epoch (the store's clock): it is held
   * while `clock.now() < expiresAt`.
   */
  readonly expiresAt: number;
}

/** Leader leases: at most one owner holds a named lease at a time. */
export interface LeaseStore {
  /**
   * Takes the lease for `owner` if it is free or expired (new token), or extends it if `owner`
   * already holds it (same token). Returns undefined when another owner holds it.
   */
  acquire(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined>;
  /**
   * Extends a lease `owner` holds (same token, `expiresAt = now + ttl`); undefined when it no
   * longer holds it: released, or expired (whether or not another owner took it since; acquire
   * again for a new token).
   */
  renew(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined>;
  /** Releases a lease `owner` holds; false when it did not hold it. */
  release(name: string, owner: string): Promise<boolean>;
  /** The current holder, if any. */
  get(name: string): Promise<Lease | undefined>;
}
