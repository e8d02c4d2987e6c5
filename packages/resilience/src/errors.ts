import { VigilError } from '@vigil/core';

/**
 * Every stable error code thrown by `@vigil/resilience`, besides core's `INVALID_OPTION` and
 * `INVALID_DURATION` (thrown as core's `ConfigurationError` for bad options). Each one is
 * explained in `docs/errors.md`.
 */
export const RESILIENCE_ERROR_CODES = [
  'BREAKER_OPEN',
  'TIMEOUT',
  'BULKHEAD_FULL',
  'ABORTED',
  'INVALID_BREAKER_STATE',
] as const;

/** A stable error code thrown by `@vigil/resilience`. */
export type ResilienceErrorCode = (typeof RESILIENCE_ERROR_CODES)[number];

/** The breaker state a call was rejected in. */
export type RejectingState = 'open' | 'half-open' | 'isolated';

/** A circuit breaker rejected the call without running it. */
export class BreakerOpenError extends VigilError {
  static override readonly brand = 'vigil.resilience.BreakerOpenError';
  declare readonly code: 'BREAKER_OPEN';
  /** The breaker's `name`, when it has one. */
  readonly breaker: string | undefined;
  /** `open`, `half-open` (every probe slot taken) or `isolated`. */
  readonly state: RejectingState;
  /**
   * Milliseconds until the breaker lets a probe through: the time left before half-open when
   * open, `0` when half-open (a probe is running, and ends within `probeTimeout`), `Infinity`
   * when isolated. `retry` reads it as a Retry-After hint.
   */
  readonly retryAfter: number;

  constructor(breaker: string | undefined, state: RejectingState, retryAfter: number) {
    const who = breaker === undefined ? 'circuit breaker' : `circuit breaker '${breaker}'`;
    const when =
      state === 'isolated'
        ? 'it is isolated until forceClose() or forceOpen() is called'
        : state === 'half-open'
          ? 'its half-open probe calls are all taken'
          : `it half-opens in ${Math.ceil(retryAfter)} ms`;
    super('BREAKER_OPEN', `${who} is ${state} and rejected the call; ${when}`);
    this.name = 'BreakerOpenError';
    this.breaker = breaker;
    this.state = state;
    this.retryAfter = retryAfter;
  }
}

/** A call ran longer than its timeout. */
export class TimeoutError extends VigilError {
  static override readonly brand = 'vigil.resilience.TimeoutError';
  declare readonly code: 'TIMEOUT';
  /** The timeout, in milliseconds. */
  readonly duration: number;

  constructor(duration: number, options?: ErrorOptions) {
    super('TIMEOUT', `the call timed out after ${duration} ms`, options);
    this.name = 'TimeoutError';
    this.duration = duration;
  }
}

/** A bulkhead had every slot and every queue place taken. */
export class BulkheadFullError extends VigilError {
  static override readonly brand = 'vigil.resilience.BulkheadFullError';
  declare readonly code: 'BULKHEAD_FULL';
  /** The bulkhead's concurrency limit. */
  readonly concurrency: number;
  /** The bulkhead's queue cap. */
  readonly queue: number;

  constructor(concurrency: number, queue: number) {
    super(
      'BULKHEAD_FULL',
      `the bulkhead is full: ${concurrency} calls running and ${queue} queued; raise concurrency or queue, or shed the load`,
    );
    this.name = 'BulkheadFullError';
    this.concurrency = concurrency;
    this.queue = queue;
  }
}

/** The caller's `AbortSignal` aborted before the call could finish; `cause` is its reason. */
export class AbortedError extends VigilError {
  static override readonly brand = 'vigil.resilience.AbortedError';
  declare readonly code: 'ABORTED';

  constructor(reason: unknown) {
    super('ABORTED', 'the call was aborted through its AbortSignal', { cause: reason });
    this.name = 'AbortedError';
  }
}

/** A breaker's `initialState` is malformed or belongs to another trip policy. */
export class InvalidStateError extends VigilError {
  static override readonly brand = 'vigil.resilience.InvalidStateError';
  declare readonly code: 'INVALID_BREAKER_STATE';

  constructor(message: string) {
    super('INVALID_BREAKER_STATE', message);
    this.name = 'InvalidStateError';
  }
}

/** Whether `error` is a `TimeoutError`, from this copy of the package or another one (by brand). */
export function isTimeout(error: unknown): boolean {
  return error instanceof TimeoutError;
}
