import type { Clock, DurationInput, OnError } from '@vigil/core';
import type { DeadLetterStore } from './dead-letter-store.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { LeaseStore } from './lease-store.js';
import type { RecordStore } from './record-store.js';
import type { TimeSeriesStore } from './time-series-store.js';

/**
 * Every kind of state Vigil keeps, from one backend. What `JobRunner`, `AlertEngine` and the
 * others take as `store`. Each adapter (memory, SQLite, Redis, PostgreSQL) implements it.
 */
export interface Store extends AsyncDisposable {
  readonly timeSeries: TimeSeriesStore;
  readonly records: RecordStore;
  readonly deadLetters: DeadLetterStore;
  readonly idempotency: IdempotencyStore;
  readonly leases: LeaseStore;
  /** Stops background sweeps and closes connections the store opened (not ones passed in). */
  close(): Promise<void>;
}

/** Options every adapter takes. */
export interface StoreOptions {
  /** Wall clock in ms for TTLs, leases, retention and `failedAt`; inject one in tests. */
  readonly clock?: Clock | undefined;
  /** Age after which series points are swept; default `'30d'`. `false`: keep forever. */
  readonly retention?: DurationInput | false | undefined;
  /** How often the retention sweep runs; default `'1h'`. Its timer is unref()ed. */
  readonly sweepInterval?: DurationInput | undefined;
  /** Cap of the dead-letter store; default 10,000; the oldest are dropped past it. */
  readonly maxDeadLetters?: number | undefined;
  /**
   * Where failures of background work (the sweep) go, as `(error, { source, operation })`; they
   * never throw into the host. Default: a `VigilWarning` once.
   */
  readonly onError?: OnError | undefined;
}
