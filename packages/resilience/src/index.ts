export type { Jitter } from './backoff/jitter.js';
export type {
  BreakerEvents,
  BreakerState,
  OpenEvent,
  StateChangeEvent,
  TransitionReason,
} from './breaker/events.js';
export { BREAKER_STATE_VALUE } from './breaker/metrics.js';
export type {
  CircuitBreakerCommonOptions,
  CircuitBreakerOptions,
  ResetBackoffOptions,
  SlowCallOptions,
} from './breaker/options.js';
export { BREAKER_SNAPSHOT_VERSION, type BreakerSnapshot } from './breaker/snapshot.js';
export type { TripReason, WindowSnapshot } from './breaker/trip-policy.js';
export type { TripPolicyOptions } from './breaker/trip-policy-options.js';
export { Bulkhead, type BulkheadEvents, type BulkheadOptions, bulkhead } from './bulkhead.js';
export { CircuitBreaker } from './circuit-breaker.js';
export {
  AbortedError,
  BreakerOpenError,
  BulkheadFullError,
  InvalidStateError,
  RESILIENCE_ERROR_CODES,
  type RejectingState,
  type ResilienceErrorCode,
  TimeoutError,
} from './errors.js';
export type { FallbackOf, Policy, Task } from './policy.js';
export {
  type GiveUpReason,
  Retry,
  type RetryCallOptions,
  type RetryEvents,
  type RetryPlan,
  retry,
} from './retry.js';
export type { RetryOptions } from './retry-options.js';
export {
  Timeout,
  type TimeoutCallOptions,
  type TimeoutEvents,
  type TimeoutOptions,
  type TimeoutStrategy,
  timeout,
} from './timeout.js';
export { type WrappedPolicy, wrap } from './wrap.js';
