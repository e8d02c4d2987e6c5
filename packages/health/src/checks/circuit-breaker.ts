import { describeValue, invalidOption, optionalString } from '@vigil/core/options';
import type { CheckOptions, CheckOutcome, HealthCheck } from '../health-check.js';
import { builtInCheck } from './built-in-check.js';

/** A `CircuitBreaker` from `@vigil/resilience`, or anything with a `state` string. */
export interface BreakerLike {
  readonly state: string;
  readonly name?: string | undefined;
}

/** Options of `checks.circuitBreaker()`. */
export interface CircuitBreakerCheckOptions extends CheckOptions {}

const OWNER = 'checks.circuitBreaker';

/**
 * A circuit breaker's state: `closed` passes; `open`, `half-open` and `isolated` warn (the
 * dependency behind it is failing or being probed, so the service is degraded). Non-critical
 * and quick by default; named `breaker:<name>` and keyed `<name>:circuitBreaker`, observed as
 * the state.
 */
export function circuitBreaker(
  breaker: BreakerLike,
  options: CircuitBreakerCheckOptions = {},
): HealthCheck {
  if (typeof breaker !== 'object' || breaker === null || typeof breaker.state !== 'string') {
    throw invalidOption(
      OWNER,
      `breaker should be a CircuitBreaker (with a state), got ${describeValue(breaker)}`,
    );
  }
  const breakerName =
    optionalString(OWNER, 'breaker.name', breaker.name) ??
    optionalString(OWNER, 'name', options.name);
  if (breakerName === undefined) {
    throw invalidOption(
      OWNER,
      'name is required for a breaker without a name, such as { name: "partner" }',
    );
  }
  const run = (): CheckOutcome => {
    const state = breaker.state;
    if (state === 'closed') return { status: 'pass', observedValue: state };
    const why =
      state === 'half-open'
        ? 'probing whether the dependency recovered'
        : state === 'open'
          ? 'calls are rejected until it half-opens'
          : state === 'isolated'
            ? 'held open until close()'
            : 'an unknown state';
    return {
      status: 'warn',
      observedValue: state,
      output: `circuit breaker '${breakerName}' is ${state}: ${why}`,
    };
  };
  return builtInCheck(
    OWNER,
    options,
    [],
    {
      name: `breaker:${breakerName}`,
      component: breakerName,
      measurement: 'circuitBreaker',
      componentType: 'component',
      critical: false,
      quick: true,
    },
    { run },
  );
}
