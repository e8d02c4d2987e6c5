import { StoreError } from '@vigil/storage';

/**
 * The time one call has left. Every wait of the call spends the same budget (the migration it
 * may wait for, a pooled connection, each statement of a transaction, a retry after a deadlock),
 * so that the call as a whole settles within `timeout` however many round trips it makes: a
 * per-statement timeout alone lets a transaction of n statements take n times as long.
 */
export class Deadline {
  readonly #timeoutMs: number;
  readonly #at: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    // The monotonic clock: the store's injected clock is for TTLs, and may stand still in tests.
    this.#at = performance.now() + timeoutMs;
  }

  /** Whole ms left (at least 1, as pg reads a `query_timeout` of 0 as "none"); throws when none. */
  remaining(): number {
    const left = Math.ceil(this.#at - performance.now());
    if (left <= 0) throw this.error();
    return left;
  }

  /**
   * `promise`, or the deadline's error if it has not settled by then, or `abortError()` as soon as
   * `signal` aborts (the store is closing), whichever comes first.
   */
  async race<T>(
    promise: Promise<T>,
    signal: AbortSignal,
    abortError: () => StoreError,
  ): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const cut = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(abortError());
      onAbort = () => reject(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(() => reject(this.error()), Math.max(1, this.#at - performance.now()));
    });
    try {
      return await Promise.race([promise, cut]);
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  }

  error(): StoreError {
    return new StoreError(
      'STORE_UNAVAILABLE',
      `PostgreSQL did not answer within ${this.#timeoutMs} ms (the timeout option); check that the server is up and not overloaded`,
    );
  }
}
