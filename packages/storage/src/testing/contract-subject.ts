import type { ManualClock } from '@vigil/core/testing';
import type { Store } from '../store.js';

/**
 * Writes malformed data straight into the backend, behind the adapter's back, where the named
 * item lives (invalid JSON, a wrong type, a missing field). The item must exist first: the kit
 * writes it through the store, corrupts it, then expects reads to fail with `STORE_CORRUPT`.
 */
export interface Corrupter {
  record(namespace: string, key: string): Promise<void>;
  deadLetter(id: string): Promise<void>;
  idempotency(key: string): Promise<void>;
  lease(name: string): Promise<void>;
  /** Corrupts the stored labels (or the points) of every series of `metric`. */
  series(metric: string): Promise<void>;
}

/**
 * The store options the contract kit's tests assume: create the subject's stores with them (and
 * the kit's clock). The dead-letter tests rely on the cap of 5; the sweep must not run by itself
 * during a test (the kit calls `deleteBefore` directly; test your sweep in your own tests).
 */
export const CONTRACT_STORE_OPTIONS = {
  maxDeadLetters: 5,
  retention: '1d',
  sweepInterval: '1d',
} as const;

/** What an adapter's test hands the contract kit, fresh for every test. */
export interface ContractSubject {
  /** A store on an empty, isolated backend (own file, key prefix or schema), on `clock`. */
  readonly store: Store;
  /**
   * A second client of the same backend and the same data (its own connection), on the same
   * clock, for races. For the memory store, the same object.
   */
  readonly second: Store;
  readonly clock: ManualClock;
  readonly corrupt: Corrupter;
  /** Closes both clients and removes the backend's data. */
  cleanup(): Promise<void>;
}

/** Options of `describeStoreContract`. */
export interface ContractOptions {
  /**
   * Creates a fresh subject, called before each test: both clients on an empty, isolated backend,
   * created with `CONTRACT_STORE_OPTIONS` (`maxDeadLetters: 5`, `retention: '1d'`,
   * `sweepInterval: '1d'`) and `clock` (a `manualClock()` starting at 2026-01-01T00:00:00Z).
   * `cleanup()` is called after each test.
   */
  readonly setup: (clock: ManualClock) => Promise<ContractSubject>;
  /** Per-test timeout in ms for slow backends; default vitest's. */
  readonly timeout?: number;
}
