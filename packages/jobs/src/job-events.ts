import type { BreakerState } from '@vigil/resilience';

/** Payload of `queued`. */
export interface QueuedEvent {
  readonly jobId: string;
  readonly type: string;
  readonly priority: number;
  /** When it may start, ms since the epoch. */
  readonly runAt: number;
}

/** Payload of `started`. */
export interface StartedEvent {
  readonly jobId: string;
  readonly type: string;
  readonly attempt: number;
  /** Ms from ready to started. */
  readonly waited: number;
}

/** Payload of `progress`. */
export interface ProgressEvent {
  readonly jobId: string;
  readonly type: string;
  readonly attempt: number;
  readonly fraction: number;
  readonly message: string | undefined;
}

/** Payload of `completed`. */
export interface CompletedEvent {
  readonly jobId: string;
  readonly type: string;
  readonly attempt: number;
  /** Ms the successful attempt took. */
  readonly duration: number;
  readonly result: unknown;
}

/** Payload of `failed`: one attempt failed (it may be retried). */
export interface FailedEvent {
  readonly jobId: string;
  readonly type: string;
  readonly attempt: number;
  readonly duration: number;
  readonly error: unknown;
  /** The attempt ran past the type's timeout. */
  readonly timedOut: boolean;
  /** Whether another attempt follows. */
  readonly willRetry: boolean;
}

/** Payload of `retrying`. */
export interface RetryingEvent {
  readonly jobId: string;
  readonly type: string;
  /** The number of the attempt that will run. */
  readonly attempt: number;
  /** Ms until it runs. */
  readonly delay: number;
  readonly error: unknown;
}

/** Why a job went to the dead-letter queue. */
export type DeadLetterReason =
  /** Every attempt failed (`maxAttempts`). */
  | 'attempts'
  /** `retryOn` said no. */
  | 'not-retryable'
  /** A `retryAfter` hint was longer than `maxDelay`. */
  | 'retry-after'
  /** The handler threw `UnrecoverableError`. */
  | 'unrecoverable'
  /** A shared queue recovered the job from dead workers more often than it allows (`maxStalls`). */
  | 'stalled';

/** Payload of `dead-lettered`. */
export interface DeadLetteredEvent {
  readonly jobId: string;
  readonly type: string;
  readonly attempts: number;
  readonly error: unknown;
  readonly reason: DeadLetterReason;
}

/**
 * Payload of `recovered`: a worker of this process took a job whose previous worker stopped
 * while running it (a shared queue found it stalled). The job runs again as the same attempt:
 * its side effects may happen twice, unless guarded (see `JobContext.idempotencyKey`).
 */
export interface RecoveredEvent {
  readonly jobId: string;
  readonly type: string;
  readonly attempt: number;
  /** How many times the job has stalled so far. */
  readonly stalls: number;
}

/** Payload of `backend`: the shared queue's connection was lost, or is back. */
export interface BackendEvent {
  /** `'bullmq'`. */
  readonly backend: string;
  readonly up: boolean;
  /** The latest connection error, when down. */
  readonly error: unknown;
}

/** Payload of `breaker`: a type's circuit breaker changed state. */
export interface BreakerEvent {
  readonly type: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
}

/**
 * Events of a `JobRunner`. Payload objects are made only when someone listens. A listener that
 * throws is reported through `onError`; it never breaks the job.
 */
export interface JobEvents {
  queued: [event: QueuedEvent];
  started: [event: StartedEvent];
  progress: [event: ProgressEvent];
  completed: [event: CompletedEvent];
  failed: [event: FailedEvent];
  retrying: [event: RetryingEvent];
  'dead-lettered': [event: DeadLetteredEvent];
  /** Nothing queued and nothing running any more. */
  drained: [];
  /** A shared queue's job whose worker stopped is run again here. */
  recovered: [event: RecoveredEvent];
  /** A shared queue's connection was lost, or is back. */
  backend: [event: BackendEvent];
  /** A type's breaker opened, half-opened, closed or was isolated. */
  breaker: [event: BreakerEvent];
}
