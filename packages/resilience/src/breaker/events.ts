import type { BreakerOpenError } from '../errors.js';
import type { TripReason } from './trip-policy.js';

/** The states of a circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** Why a breaker changed state. */
export type TransitionReason =
  /** The trip policy saw too many failures. */
  | TripReason
  /** A half-open probe failed (or was slow). */
  | 'probe-failed'
  /** A half-open probe ran past `probeTimeout`: it counts as failed, its late outcome is ignored. */
  | 'probe-timeout'
  /** Every half-open probe succeeded. */
  | 'probes-succeeded'
  /** The open period ended. */
  | 'reset-timeout'
  /** `forceOpen()`, `forceClose()` or `isolate()` was called. */
  | 'manual';

/** Payload of `stateChange`. */
export interface StateChangeEvent {
  from: BreakerState;
  to: BreakerState;
  reason: TransitionReason;
}

/** Payload of `open`. */
export interface OpenEvent {
  reason: TransitionReason;
  /** How many times the breaker opened since it last closed. */
  attempt: number;
  /** Milliseconds until it half-opens. */
  retryAfter: number;
}

/** Events of a `CircuitBreaker`. Durations are milliseconds, measured only when someone listens. */
export interface BreakerEvents {
  /** Every transition. */
  stateChange: [event: StateChangeEvent];
  /** The breaker opened (tripped, a probe failed or timed out, or `forceOpen()`). */
  open: [event: OpenEvent];
  /** The open period ended; probe calls may go through. */
  halfOpen: [];
  /**
   * The circuit closed: calls flow again (probes succeeded, or `forceClose()`). Not the
   * teardown: `breaker.close()` emits nothing.
   */
  close: [];
  /** A call succeeded. */
  success: [event: { duration: number }];
  /**
   * A call failed. `handled` is false for errors `shouldHandle` rejected (or that followed the
   * caller's abort): they pass through and do not count.
   */
  failure: [event: { error: unknown; duration: number; handled: boolean }];
  /** A call took at least `slowCall.threshold`. */
  slowCall: [event: { duration: number }];
  /** A call was rejected without running. */
  rejected: [event: { error: BreakerOpenError }];
  /** The fallback answered a rejected or failed call. */
  fallback: [event: { error: unknown }];
}
