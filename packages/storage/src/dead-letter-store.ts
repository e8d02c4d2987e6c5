/** Why a job ended in the dead-letter queue. */
export interface DeadLetterError {
  readonly message: string;
  readonly name?: string;
  readonly code?: string;
  readonly stack?: string;
}

/** What `add` takes. */
export interface NewDeadLetter {
  /** Given by the caller to make `add` idempotent; default: a new UUID. */
  readonly id?: string;
  /** The queue or job type the letter came from. */
  readonly queue: string;
  /** The job's payload: any JSON value. */
  readonly payload: unknown;
  readonly error: DeadLetterError;
  /** Attempts made before giving up. */
  readonly attempts: number;
  /** When it failed for the last time; default: now (the store's clock). */
  readonly failedAt?: number;
  /** Anything else worth keeping (JSON object). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A stored dead letter. */
export interface DeadLetter extends NewDeadLetter {
  readonly id: string;
  readonly failedAt: number;
}

/** Filters of `list` and `count`. */
export interface DeadLetterFilter {
  readonly queue?: string;
  /** Inclusive lower bound on `failedAt`. */
  readonly from?: number;
  /** Exclusive upper bound on `failedAt`. */
  readonly to?: number;
}

/** A page of `list`, oldest first. */
export interface DeadLetterPage {
  readonly letters: readonly DeadLetter[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
}

/**
 * Jobs that failed for good, kept for inspection and replay. Capped: when `add` would pass the
 * cap (`StoreOptions.maxDeadLetters`, default 10,000), the oldest letters (by `failedAt`, then
 * id) are dropped to make room and counted in `dropped()`. Replacing an existing id drops
 * nothing.
 */
export interface DeadLetterStore {
  /** Stores a letter; adding an id that exists replaces it. Returns the stored letter. */
  add(letter: NewDeadLetter): Promise<DeadLetter>;
  get(id: string): Promise<DeadLetter | undefined>;
  /**
   * Oldest first (by `failedAt`, then id). `limit` 1–10,000, default 100. Pass the returned
   * `cursor` with the same filter for the next page; the last page has none.
   */
  list(
    filter?: DeadLetterFilter & { readonly limit?: number; readonly cursor?: string },
  ): Promise<DeadLetterPage>;
  remove(id: string): Promise<boolean>;
  count(filter?: DeadLetterFilter): Promise<number>;
  /** Removes letters that failed before `timestamp`; returns how many. */
  purge(before: number): Promise<number>;
  /** Letters dropped by the cap since this store was created (this client). */
  dropped(): number;
}
