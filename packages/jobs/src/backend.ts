import type { Clock, Timers } from '@vigil/core';

/** One failed attempt, as kept with the job and in its dead letter. */
export interface AttemptRecord {
  readonly attempt: number;
  /** When the attempt started, ms since the epoch (the runner's clock). */
  readonly startedAt: number;
  /** How long it ran, in ms. */
  readonly duration: number;
  readonly error: {
    readonly message: string;
    readonly name?: string | undefined;
    readonly code?: string | undefined;
    readonly stack?: string | undefined;
  };
}

/** A job as a backend keeps it. */
export interface StoredJob {
  readonly id: string;
  readonly type: string;
  /** Any JSON value for a durable backend. */
  readonly payload: unknown;
  readonly priority: number;
  /** When it was accepted, ms since the epoch. */
  readonly enqueuedAt: number;
  /** When it may start (after its delay or retry backoff), ms since the epoch. */
  readonly runAt: number;
  /** Attempts that ended (failed) so far. */
  readonly attempts: number;
  /** The backoff delay before the latest retry, ms (decorrelated jitter grows from it). */
  readonly previousDelay: number;
  /** The failed attempts so far. */
  readonly history: readonly AttemptRecord[];
  readonly idempotencyKey: string | undefined;
  /** Times the job came back from the dead-letter queue. */
  readonly replays: number;
}

/** A job a durable backend found at `open()`. */
export interface RecoveredJob extends StoredJob {
  /**
   * Set when the job was running when the process stopped: it runs again once this lease
   * expires (ms since the epoch), as the same attempt.
   */
  readonly leaseUntil: number | undefined;
}

/** What the runner gives its backend at `open()`. */
export interface BackendContext {
  readonly clock: Clock;
  /**
   * The timers the runner was given (tests inject a manual clock's), or undefined: a backend's
   * own background timers then default to core's `systemTimers`, which never keep the process
   * alive.
   */
  readonly timers: Timers | undefined;
  /** Where failures of writes made after the job was accepted go (never thrown into the host). */
  readonly report: (error: unknown, operation: string) => void;
}

/**
 * Where a runner keeps its queued jobs. The runner schedules (priorities, delays, concurrency,
 * breakers, rate limits) in memory; a backend makes the queue survive a restart. Writes after
 * `add` are fire-and-forget (a durable backend groups them into one commit); `add` resolves
 * once the job is durable, which is when `enqueue` acknowledges it.
 */
export interface JobBackend {
  /** For metrics and messages: `'memory'`, `'sqlite'`. */
  readonly name: string;
  /** Whether jobs survive a restart. */
  readonly durable: boolean;
  /**
   * Opens the backend; answers the jobs that survived the last run (none for memory). A backend
   * that opens at once answers an array, not a promise: its runner takes jobs from the first call.
   */
  open(context: BackendContext): readonly RecoveredJob[] | Promise<readonly RecoveredJob[]>;
  /** Stores a new job; resolves once it is durable. Undefined: accepted at once (memory). */
  add(job: StoredJob): Promise<void> | undefined;
  /** The job started an attempt. */
  started(id: string): void;
  /** The job failed an attempt and waits for its retry: `job` is its updated state. */
  retrying(job: StoredJob): void;
  /** The job completed or went to the dead-letter queue: forget it. */
  finished(id: string): void;
  /** Stops taking writes, commits what is pending, and closes. */
  close(): Promise<void>;
}
