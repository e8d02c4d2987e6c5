import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type Clock,
  type DurationInput,
  type OnError,
  type Registry,
  systemClock,
  systemTimers,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalClock,
  optionalDuration,
  optionalFunction,
  optionalInteger,
  optionalNumber,
  optionalOnError,
  optionalRate,
  optionalRegistry,
  optionalTimers,
  required,
} from '@vigil/core/options';
import { policyName } from '../policy-name.js';
import { type BreakerSnapshot, parseSnapshot } from './snapshot.js';
import type { TripPolicy } from './trip-policy.js';
import { type TripPolicyOptions, tripPolicy } from './trip-policy-options.js';

/** Calls slower than `threshold` count against the breaker, even when they succeed. */
export interface SlowCallOptions {
  /** A call that takes at least this long is slow, e.g. `'2s'`. */
  threshold: DurationInput;
  /**
   * Rate policies (`count`, `time`): the slow-call rate that opens the breaker, in (0, 1];
   * default: the policy's `failureRate`. Not allowed with `consecutive`, where a slow call
   * simply counts as a failure.
   */
  rate?: number | undefined;
}

/** Grows the open period each time a half-open probe fails: `resetTimeout × factor^(n−1)`. */
export interface ResetBackoffOptions {
  /** The longest open period, e.g. `'5m'`; at least `resetTimeout`. */
  maxDelay: DurationInput;
  /** Growth per reopening, ≥ 1; default 2. */
  factor?: number | undefined;
}

/** Options every breaker takes, whichever trip policy it uses. */
export interface CircuitBreakerCommonOptions<F> {
  /** Names the breaker in errors, events and the `breaker` metric label; required with `registry`. */
  name?: string | undefined;
  /** How long the breaker stays open before it lets probe calls through; default `'30s'`. */
  resetTimeout?: DurationInput | undefined;
  /** Grow the open period exponentially while probes keep failing; default: no growth. */
  resetBackoff?: ResetBackoffOptions | undefined;
  /** How many probe calls half-open lets through; all must succeed to close. Default 1. */
  halfOpenProbes?: number | undefined;
  /**
   * How long a half-open probe may run before it counts as failed: the breaker opens again (its
   * late outcome is then ignored). Without it, a probe that never settles would hold the breaker
   * half-open, rejecting every call, for good. Default `'30s'`.
   */
  probeTimeout?: DurationInput | undefined;
  /** Count slow calls against the breaker; default: duration does not matter. */
  slowCall?: SlowCallOptions | undefined;
  /**
   * Which errors count as failures; default: every error, except when the caller's signal has
   * aborted. Errors it rejects pass through and count as neither success nor failure. One that
   * throws counts the error, and is reported through `onError`.
   */
  shouldHandle?: ((error: unknown) => boolean) | undefined;
  /** Answers a rejected or failed call instead of throwing (not for errors `shouldHandle` rejects). */
  fallback?: ((error: unknown) => F | PromiseLike<F>) | undefined;
  /** Keep metrics in this registry (`vigil_breaker_*`). */
  registry?: Registry | undefined;
  /** Wall clock in ms for time windows, open periods and probe deadlines; default `Date.now()`. */
  clock?: Clock | undefined;
  /** Where the reset and probe timers are scheduled; default core's `systemTimers` (unref'd). */
  timers?: Timers | undefined;
  /**
   * Told about failures the breaker must not throw into a call: an event listener that threw
   * (from a call, a manual control or the breaker's timer; the call still gets its own result
   * or error, and is still recorded), a `shouldHandle` that threw. Default: one `VigilWarning`
   * (`VIGIL_BACKGROUND_ERROR`) per kind of failure.
   */
  onError?: OnError | undefined;
  /** Start from a state saved with `breaker.toJSON()`; validated, malformed → `INVALID_BREAKER_STATE`. */
  initialState?: BreakerSnapshot | undefined;
}

/**
 * Options of `new CircuitBreaker()`: `failureThreshold` (shorthand for a consecutive policy)
 * or `policy`, not both. With neither, the breaker opens after 5 consecutive failures.
 */
export type CircuitBreakerOptions<F = never> = CircuitBreakerCommonOptions<F> &
  (
    | {
        /** Shorthand for `policy: { kind: 'consecutive', threshold }`; default 5. */
        failureThreshold?: number | undefined;
        policy?: undefined;
      }
    | {
        /** The trip policy. */
        policy: TripPolicyOptions;
        failureThreshold?: undefined;
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
  readonly probeTimeout: number;
  /** Infinity when slow calls are not counted. */
  readonly slowThreshold: number;
  readonly shouldHandle: ((error: unknown) => boolean) | undefined;
  readonly fallback: ((error: unknown) => F | PromiseLike<F>) | undefined;
  readonly registry: Registry | undefined;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Where background failures go: `onError`, or one warning per operation. */
  readonly report: BackgroundErrorReporter;
  readonly initialState: BreakerSnapshot | undefined;
}

const OWNER = 'CircuitBreaker';
const KEYS = [
  'name',
  'failureThreshold',
  'policy',
  'resetTimeout',
  'resetBackoff',
  'halfOpenProbes',
  'probeTimeout',
  'slowCall',
  'shouldHandle',
  'fallback',
  'registry',
  'clock',
  'timers',
  'onError',
  'initialState',
] as const;
const DEFAULT_RESET_TIMEOUT = 30_000;
const DEFAULT_PROBE_TIMEOUT = 30_000;

/** @internal Checks every option once; throws core's `ConfigurationError` naming the bad one. */
export function breakerConfig<F>(input: CircuitBreakerOptions<F> | undefined): BreakerConfig<F> {
  const options = checkOptionsObject(OWNER, input, KEYS);
  const registry = optionalRegistry<Registry>(OWNER, 'registry', options['registry']);
  const clock = optionalClock(OWNER, 'clock', options['clock']) ?? systemClock;
  const name = policyName(OWNER, options['name'], registry !== undefined);
  const resetTimeout =
    optionalDuration(OWNER, 'resetTimeout', options['resetTimeout']) ?? DEFAULT_RESET_TIMEOUT;
  const backoff = resetBackoff(options['resetBackoff'], resetTimeout);
  const slow = slowCall(options['slowCall']);
  const trip = tripPolicy(options['policy'], options['failureThreshold'], slow.rate, clock);
  const initialState = options['initialState'];
  return {
    name,
    trip,
    resetTimeout,
    resetFactor: backoff.factor,
    resetMaxDelay: backoff.maxDelay,
    probes: optionalInteger(OWNER, 'halfOpenProbes', options['halfOpenProbes'], { min: 1 }) ?? 1,
    probeTimeout:
      optionalDuration(OWNER, 'probeTimeout', options['probeTimeout'], { positive: true }) ??
      DEFAULT_PROBE_TIMEOUT,
    slowThreshold: slow.threshold,
    shouldHandle: optionalFunction(OWNER, 'shouldHandle', options['shouldHandle']),
    fallback: optionalFunction(OWNER, 'fallback', options['fallback']),
    registry,
    clock,
    timers: optionalTimers(OWNER, 'timers', options['timers']) ?? systemTimers,
    report: backgroundErrorReporter(
      name === undefined ? OWNER : `${OWNER} '${name}'`,
      optionalOnError(OWNER, 'onError', options['onError']),
    ),
    initialState: initialState === undefined ? undefined : parseSnapshot(initialState, trip.kind),
  };
}

function resetBackoff(value: unknown, resetTimeout: number): { factor: number; maxDelay: number } {
  if (value === undefined) return { factor: 1, maxDelay: resetTimeout };
  const fields = checkOptionsObject(`${OWNER} resetBackoff`, value, ['maxDelay', 'factor'], {
    required: true,
  });
  const factor = optionalNumber(OWNER, 'resetBackoff.factor', fields['factor'], { min: 1 }) ?? 2;
  const maxDelay = required(
    OWNER,
    'resetBackoff.maxDelay',
    optionalDuration(OWNER, 'resetBackoff.maxDelay', fields['maxDelay']),
    "the longest open period, such as '5m'",
  );
  if (maxDelay < resetTimeout) {
    throw invalidOption(
      OWNER,
      `resetBackoff.maxDelay should be at least resetTimeout (${resetTimeout} ms), got ${describeValue(fields['maxDelay'])}`,
    );
  }
  return { factor, maxDelay };
}

function slowCall(value: unknown): { threshold: number; rate: number | undefined } {
  if (value === undefined) return { threshold: Number.POSITIVE_INFINITY, rate: undefined };
  const fields = checkOptionsObject(`${OWNER} slowCall`, value, ['threshold', 'rate'], {
    required: true,
  });
  const threshold = required(
    OWNER,
    'slowCall.threshold',
    optionalDuration(OWNER, 'slowCall.threshold', fields['threshold'], { positive: true }),
    "a duration such as '2s'",
  );
  return { threshold, rate: optionalRate(OWNER, 'slowCall.rate', fields['rate']) };
}
