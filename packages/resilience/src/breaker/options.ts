import type { DurationInput, Registry } from '@vigil/core';
import {
  atLeast,
  checkClock,
  checkKeys,
  checkRegistry,
  describe,
  duration,
  invalidOption,
  optionalFunction,
  policyName,
  positiveInteger,
  rate,
} from '../validate.js';
import { ConsecutiveFailures } from './consecutive.js';
import { CountWindow } from './count-window.js';
import { type BreakerSnapshot, parseSnapshot } from './snapshot.js';
import { TimeWindow } from './time-window.js';
import type { TripPolicy } from './trip-policy.js';

/** When a closed breaker opens. */
export type TripPolicyOptions =
  /** After `threshold` failures in a row. */
  | { kind: 'consecutive'; threshold: number }
  /**
   * When the failure rate over the last `size` calls reaches `failureRate`, once at least
   * `minimumCalls` (default `size`) were recorded.
   */
  | { kind: 'count'; size: number; failureRate: number; minimumCalls?: number }
  /**
   * When the failure rate over the last `window` reaches `failureRate`, once at least
   * `minimumCalls` (default 10) were recorded in it. The window slides in `buckets` steps
   * (default 10).
   */
  | {
      kind: 'time';
      window: DurationInput;
      failureRate: number;
      minimumCalls?: number;
      buckets?: number;
    };

/** Calls slower than `threshold` count against the breaker, even when they succeed. */
export interface SlowCallOptions {
  /** A call that takes at least this long is slow, e.g. `'2s'`. */
  threshold: DurationInput;
  /**
   * Rate policies (`count`, `time`): the slow-call rate that opens the breaker, in (0, 1];
   * default: the policy's `failureRate`. Not allowed with `consecutive`, where a slow call
   * simply counts as a failure.
   */
  rate?: number;
}

/** Grows the open period each time a half-open probe fails: `resetTimeout × factor^(n−1)`. */
export interface ResetBackoffOptions {
  /** The longest open period, e.g. `'5m'`. */
  maxDelay: DurationInput;
  /** Growth per reopening, ≥ 1; default 2. */
  factor?: number;
}

/** Options every breaker takes, whichever trip policy it uses. */
export interface CircuitBreakerCommonOptions<F> {
  /** Names the breaker in errors, events and the `breaker` metric label; required with `registry`. */
  name?: string;
  /** How long the breaker stays open before it lets probe calls through; default `'30s'`. */
  resetTimeout?: DurationInput;
  /** Grow the open period exponentially while probes keep failing; default: no growth. */
  resetBackoff?: ResetBackoffOptions;
  /** How many probe calls half-open lets through; all must succeed to close. Default 1. */
  halfOpenProbes?: number;
  /** Count slow calls against the breaker; default: duration does not matter. */
  slowCall?: SlowCallOptions;
  /**
   * Which errors count as failures; default: every error, except when the caller's signal has
   * aborted. Errors it rejects pass through and count as neither success nor failure.
   */
  shouldHandle?: (error: unknown) => boolean;
  /** Answers a rejected or failed call instead of throwing (not for errors `shouldHandle` rejects). */
  fallback?: (error: unknown) => F | PromiseLike<F>;
  /** Keep metrics in this registry (`vigil_breaker_*`). */
  registry?: Registry;
  /** Wall clock in ms for windows and open periods; default `Date.now`. Inject one in tests. */
  clock?: { now(): number };
  /** Start from a state saved with `breaker.toJSON()`; validated, malformed → `INVALID_BREAKER_STATE`. */
  initialState?: BreakerSnapshot;
}

/**
 * Options of `new CircuitBreaker()`: `failureThreshold` (shorthand for a consecutive policy)
 * or `policy`, not both. With neither, the breaker opens after 5 consecutive failures.
 */
export type CircuitBreakerOptions<F = never> = CircuitBreakerCommonOptions<F> &
  (
    | {
        /** Shorthand for `policy: { kind: 'consecutive', threshold }`; default 5. */
        failureThreshold?: number;
        policy?: never;
      }
    | {
        /** The trip policy. */
        policy: TripPolicyOptions;
        failureThreshold?: never;
      }
  );

/** @internal Validated breaker options. */
export interface BreakerConfig<F> {
  readonly name: string | undefined;
  readonly trip: TripPolicy;
  readonly resetTimeout: number;
  readonly resetFactor: number;
  readonly resetMaxDelay: number;
  readonly probes: number;
  /** Infinity when slow calls are not counted. */
  readonly slowThreshold: number;
  readonly shouldHandle: ((error: unknown) => boolean) | undefined;
  readonly fallback: ((error: unknown) => F | PromiseLike<F>) | undefined;
  readonly registry: Registry | undefined;
  readonly clock: { now(): number };
  readonly initialState: BreakerSnapshot | undefined;
}

const OWNER = 'CircuitBreaker';
const OPTIONS = [
  'name',
  'failureThreshold',
  'policy',
  'resetTimeout',
  'resetBackoff',
  'halfOpenProbes',
  'slowCall',
  'shouldHandle',
  'fallback',
  'registry',
  'clock',
  'initialState',
];
const DATE_CLOCK = { now: () => Date.now() };

/** @internal Checks every option once; throws `ConfigurationError` naming the bad one. */
export function breakerConfig<F>(options: CircuitBreakerOptions<F>): BreakerConfig<F> {
  checkKeys(OWNER, options, OPTIONS);
  checkRegistry(OWNER, options.registry);
  checkClock(OWNER, options.clock);
  const clock = options.clock ?? DATE_CLOCK;
  const resetTimeout = duration(OWNER, 'resetTimeout', options.resetTimeout ?? '30s');
  let resetFactor = 1;
  let resetMaxDelay = resetTimeout;
  if (options.resetBackoff !== undefined) {
    checkKeys(`${OWNER} resetBackoff`, options.resetBackoff, ['maxDelay', 'factor']);
    resetFactor = atLeast(OWNER, 'resetBackoff.factor', options.resetBackoff.factor ?? 2, 1);
    resetMaxDelay = duration(OWNER, 'resetBackoff.maxDelay', options.resetBackoff.maxDelay);
    if (resetMaxDelay < resetTimeout) {
      throw invalidOption(
        OWNER,
        `resetBackoff.maxDelay should be at least resetTimeout (${resetTimeout} ms), got ${describe(options.resetBackoff.maxDelay)}`,
      );
    }
  }
  const slow = slowCall(options.slowCall);
  const trip = tripPolicy(options, slow.rate, clock);
  const config: BreakerConfig<F> = {
    name: policyName(OWNER, options.name, options.registry !== undefined),
    trip,
    resetTimeout,
    resetFactor,
    resetMaxDelay,
    probes: positiveInteger(OWNER, 'halfOpenProbes', options.halfOpenProbes ?? 1),
    slowThreshold: slow.threshold,
    shouldHandle: optionalFunction(OWNER, 'shouldHandle', options.shouldHandle),
    fallback: optionalFunction(OWNER, 'fallback', options.fallback),
    registry: options.registry,
    clock,
    initialState:
      options.initialState === undefined
        ? undefined
        : parseSnapshot(options.initialState, trip.kind),
  };
  return config;
}

function slowCall(options: SlowCallOptions | undefined): {
  threshold: number;
  rate: number | undefined;
} {
  if (options === undefined) return { threshold: Number.POSITIVE_INFINITY, rate: undefined };
  checkKeys(`${OWNER} slowCall`, options, ['threshold', 'rate']);
  return {
    threshold: duration(OWNER, 'slowCall.threshold', options.threshold, true),
    rate: options.rate === undefined ? undefined : rate(OWNER, 'slowCall.rate', options.rate),
  };
}

function tripPolicy<F>(
  options: CircuitBreakerOptions<F>,
  slowRate: number | undefined,
  clock: { now(): number },
): TripPolicy {
  const { policy, failureThreshold } = options;
  if (policy !== undefined && failureThreshold !== undefined) {
    throw invalidOption(
      OWNER,
      'give failureThreshold or policy, not both (failureThreshold: n is short for policy: { kind: "consecutive", threshold: n })',
    );
  }
  if (policy === undefined) return consecutive('failureThreshold', failureThreshold ?? 5, slowRate);
  if (typeof policy !== 'object' || policy === null) {
    throw invalidOption(OWNER, `policy should be an object with a kind, got ${describe(policy)}`);
  }
  switch (policy.kind) {
    case 'consecutive':
      checkKeys(`${OWNER} policy`, policy, ['kind', 'threshold']);
      return consecutive('policy.threshold', policy.threshold, slowRate);
    case 'count': {
      checkKeys(`${OWNER} policy`, policy, ['kind', 'size', 'failureRate', 'minimumCalls']);
      const size = positiveInteger(OWNER, 'policy.size', policy.size);
      const failureRate = rate(OWNER, 'policy.failureRate', policy.failureRate);
      const minimumCalls = positiveInteger(
        OWNER,
        'policy.minimumCalls',
        policy.minimumCalls ?? size,
      );
      if (minimumCalls > size) {
        throw invalidOption(
          OWNER,
          `policy.size (${size}) should be at least policy.minimumCalls (${minimumCalls}), or the window could never hold enough calls to open`,
        );
      }
      return new CountWindow(size, minimumCalls, failureRate, slowRate ?? failureRate);
    }
    case 'time': {
      checkKeys(`${OWNER} policy`, policy, [
        'kind',
        'window',
        'failureRate',
        'minimumCalls',
        'buckets',
      ]);
      const window = duration(OWNER, 'policy.window', policy.window, true);
      const failureRate = rate(OWNER, 'policy.failureRate', policy.failureRate);
      const minimumCalls = positiveInteger(OWNER, 'policy.minimumCalls', policy.minimumCalls ?? 10);
      const buckets = positiveInteger(OWNER, 'policy.buckets', policy.buckets ?? 10);
      if (buckets > 1000) {
        throw invalidOption(OWNER, `policy.buckets should be at most 1000, got ${buckets}`);
      }
      return new TimeWindow(
        window,
        buckets,
        minimumCalls,
        failureRate,
        slowRate ?? failureRate,
        clock,
      );
    }
    default:
      throw invalidOption(
        OWNER,
        `policy.kind should be 'consecutive', 'count' or 'time', got ${describe((policy as { kind: unknown }).kind)}`,
      );
  }
}

function consecutive(field: string, threshold: unknown, slowRate: number | undefined): TripPolicy {
  if (slowRate !== undefined) {
    throw invalidOption(
      OWNER,
      "slowCall.rate applies to the 'count' and 'time' policies; with 'consecutive' a slow call counts as a failure, so leave rate out",
    );
  }
  return new ConsecutiveFailures(positiveInteger(OWNER, field, threshold));
}
