import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type Clock,
  type DurationInput,
  type OnError,
  type Registry,
  systemClock,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalBoolean,
  optionalChoice,
  optionalClock,
  optionalDuration,
  optionalFunction,
  optionalNumber,
  optionalOnError,
  optionalRegistry,
  optionalTimers,
} from '@vigil/core/options';
import type { BackoffSettings, Jitter } from './backoff/jitter.js';
import { policyName } from './policy-name.js';

/** Options of `new Retry()` and `retry()`. */
export interface RetryOptions {
  /** Attempts in all, the first included: a positive integer or `Infinity`; default 3. */
  maxAttempts?: number | undefined;
  /** The delay before the first retry (before jitter); default `'100ms'`. */
  initialDelay?: DurationInput | undefined;
  /** The longest delay between attempts; default `'30s'`. */
  maxDelay?: DurationInput | undefined;
  /** Growth of the delay per retry, ≥ 1; default 2. */
  factor?: number | undefined;
  /** `'full'` (default), `'decorrelated'` or `'none'`; see `docs/resilience.md`. */
  jitter?: Jitter | undefined;
  /**
   * Whether to retry after `error` failed attempt number `attempt`; default: every error. One
   * that throws gives up (reason `'not-retryable'`, the task's error rethrown) and is reported
   * through `onError`.
   */
  retryOn?: ((error: unknown, attempt: number) => boolean) | undefined;
  /**
   * Wait at least as long as the error's `retryAfter` says (ms number, `Date`, or Retry-After
   * header string): the delay is the longer of the hint and the backoff; give up when the hint
   * exceeds `maxDelay`. Default true.
   */
  respectRetryAfter?: boolean | undefined;
  /** Names the policy in the `policy` metric label; required with `registry`. */
  name?: string | undefined;
  /** Keep `vigil_retry_attempts_total` and `vigil_retry_give_ups_total` in this registry. */
  registry?: Registry | undefined;
  /** A source of numbers in [0, 1) for jitter; default `Math.random`. */
  random?: (() => number) | undefined;
  /** Wall clock in ms, to read a `retryAfter` given as a date; default `Date.now()`. */
  clock?: Clock | undefined;
  /**
   * Where the delays between attempts are scheduled. Default: the global `setTimeout`, not
   * unref'd, because a caller awaits it (a script must not exit in the middle of a backoff).
   */
  timers?: Timers | undefined;
  /**
   * Told when `retryOn` or a `retry`/`giveUp` listener throws (the call goes on as if it had
   * not); default: one `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) per kind of failure.
   */
  onError?: OnError | undefined;
}

/** @internal Validated retry options. */
export interface RetryConfig {
  readonly name: string | undefined;
  readonly maxAttempts: number;
  readonly backoff: BackoffSettings;
  readonly retryOn: ((error: unknown, attempt: number) => boolean) | undefined;
  readonly respectRetryAfter: boolean;
  readonly registry: Registry | undefined;
  readonly clock: Clock;
  readonly timers: Timers | undefined;
  readonly report: BackgroundErrorReporter;
}

const OWNER = 'Retry';
/** @internal The options of `new Retry()`. */
export const RETRY_KEYS = [
  'maxAttempts',
  'initialDelay',
  'maxDelay',
  'factor',
  'jitter',
  'retryOn',
  'respectRetryAfter',
  'name',
  'registry',
  'random',
  'clock',
  'timers',
  'onError',
] as const;
const JITTERS: readonly Jitter[] = ['full', 'decorrelated', 'none'];

/** @internal Checks every option once; throws core's `ConfigurationError` naming the bad one. */
export function retryConfig(input: RetryOptions | undefined): RetryConfig {
  const options = checkOptionsObject(OWNER, input, RETRY_KEYS);
  const registry = optionalRegistry<Registry>(OWNER, 'registry', options['registry']);
  const name = policyName(OWNER, options['name'], registry !== undefined);
  const initialDelay = optionalDuration(OWNER, 'initialDelay', options['initialDelay']) ?? 100;
  const maxDelay = optionalDuration(OWNER, 'maxDelay', options['maxDelay']) ?? 30_000;
  if (initialDelay > maxDelay) {
    throw invalidOption(
      OWNER,
      `initialDelay (${initialDelay} ms) should not exceed maxDelay (${maxDelay} ms)`,
    );
  }
  return {
    name,
    maxAttempts: maxAttempts(options['maxAttempts']),
    backoff: {
      initialDelay,
      maxDelay,
      factor: optionalNumber(OWNER, 'factor', options['factor'], { min: 1 }) ?? 2,
      jitter: optionalChoice(OWNER, 'jitter', options['jitter'], JITTERS) ?? 'full',
      random: optionalFunction<() => number>(OWNER, 'random', options['random']) ?? Math.random,
    },
    retryOn: optionalFunction(OWNER, 'retryOn', options['retryOn']),
    respectRetryAfter:
      optionalBoolean(OWNER, 'respectRetryAfter', options['respectRetryAfter']) ?? true,
    registry,
    clock: optionalClock(OWNER, 'clock', options['clock']) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', options['timers']),
    report: backgroundErrorReporter(
      name === undefined ? OWNER : `${OWNER} '${name}'`,
      optionalOnError(OWNER, 'onError', options['onError']),
    ),
  };
}

function maxAttempts(value: unknown): number {
  if (value === undefined) return 3;
  if (
    value === Number.POSITIVE_INFINITY ||
    (Number.isSafeInteger(value) && (value as number) >= 1)
  ) {
    return value as number;
  }
  throw invalidOption(
    OWNER,
    `maxAttempts should be a positive integer or Infinity, got ${describeValue(value)}`,
  );
}
