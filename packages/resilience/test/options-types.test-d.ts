// Type-level tests, checked by `pnpm typecheck` (tsc), not run by vitest: options read from
// configuration may be `undefined`, and exactOptionalPropertyTypes must not refuse them.
import type { Clock, DurationInput, OnError, Registry, Timers } from '@vigil/core';
import { expectTypeOf } from 'vitest';
import {
  Bulkhead,
  CircuitBreaker,
  type CircuitBreakerOptions,
  Retry,
  type RetryOptions,
  Timeout,
} from '../src/index.js';

declare const registry: Registry | undefined;
declare const clock: Clock | undefined;
declare const timers: Timers | undefined;
declare const onError: OnError | undefined;
declare const count: number | undefined;
declare const duration: DurationInput | undefined;
declare const text: string | undefined;

new CircuitBreaker({
  name: text,
  failureThreshold: count,
  resetTimeout: duration,
  halfOpenProbes: count,
  probeTimeout: duration,
  slowCall: undefined,
  shouldHandle: undefined,
  fallback: undefined,
  registry,
  clock,
  timers,
  onError,
  initialState: undefined,
});
new CircuitBreaker(undefined);
new Retry({
  maxAttempts: count,
  initialDelay: duration,
  maxDelay: duration,
  factor: count,
  jitter: undefined,
  retryOn: undefined,
  respectRetryAfter: undefined,
  name: text,
  registry,
  random: undefined,
  clock,
  timers,
  onError,
});
new Timeout({ duration: '1s', strategy: undefined, name: text, registry, timers });
new Bulkhead({ concurrency: 1, queue: count, name: text, registry });

expectTypeOf<CircuitBreakerOptions['onError']>().toEqualTypeOf<OnError | undefined>();
expectTypeOf<RetryOptions['onError']>().toEqualTypeOf<OnError | undefined>();
expectTypeOf<CircuitBreaker>().toMatchTypeOf<AsyncDisposable>();
expectTypeOf<Timeout>().toMatchTypeOf<AsyncDisposable>();
expectTypeOf<CircuitBreaker>().not.toHaveProperty('open');
expectTypeOf<CircuitBreaker>().not.toHaveProperty('dispose');
