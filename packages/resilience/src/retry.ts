import type { CounterChild, DurationInput, Registry } from '@vigil/core';
import { EventEmitter } from 'eventemitter3';
import { NEVER_ABORTED, sleep } from './abort.js';
import { type BackoffSettings, backoffDelay, type Jitter } from './backoff/jitter.js';
import { invoke, type Link, type Policy, RUN, type Runnable, type Task } from './policy.js';
import { retryAfterOf } from './retry-after.js';
import {
  atLeast,
  checkKeys,
  checkRegistry,
  describe,
  duration,
  invalidOption,
  optionalFunction,
  policyName,
} from './validate.js';

/** Options of `new Retry()` and `retry()`. */
export interface RetryOptions {
  /** Attempts in all, the first included: a positive integer or `Infinity`; default 3. */
  maxAttempts?: number;
  /** The delay before the first retry (before jitter); default `'100ms'`. */
  initialDelay?: DurationInput;
  /** The longest delay between attempts; default `'30s'`. */
  maxDelay?: DurationInput;
  /** Growth of the delay per retry, ≥ 1; default 2. */
  factor?: number;
  /** `'full'` (default), `'decorrelated'` or `'none'`; see `docs/resilience.md`. */
  jitter?: Jitter;
  /** Whether to retry after `error` failed attempt number `attempt`; default: every error. */
  retryOn?: (error: unknown, attempt: number) => boolean;
  /**
   * Wait at least as long as the error's `retryAfter` says (ms number, `Date`, or Retry-After
   * header string): the delay is the longer of the hint and the backoff; give up when the hint
   * exceeds `maxDelay`. Default true.
   */
  respectRetryAfter?: boolean;
  /** Names the policy in the `policy` metric label; required with `registry`. */
  name?: string;
  /** Keep `vigil_retry_attempts_total` and `vigil_retry_give_ups_total` in this registry. */
  registry?: Registry;
  /** A source of numbers in [0, 1) for jitter; default `Math.random`. */
  random?: () => number;
}

/** Why a retry policy stopped retrying. */
export type GiveUpReason = 'attempts' | 'not-retryable' | 'retry-after' | 'aborted';

/** Events of a `Retry` policy. Delays are milliseconds. */
export interface RetryEvents {
  /** Attempt `attempt` failed with `error`; the next one starts after `delay`. */
  retry: [event: { attempt: number; delay: number; error: unknown }];
  /** The policy stopped after `attempts` attempts and rethrows `error`. */
  giveUp: [event: { attempts: number; error: unknown; reason: GiveUpReason }];
}

const OWNER = 'Retry';
const OPTIONS = [
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
];
const JITTERS: readonly Jitter[] = ['full', 'decorrelated', 'none'];
const REASONS: readonly GiveUpReason[] = ['attempts', 'not-retryable', 'retry-after', 'aborted'];

/**
 * Runs a task again when it fails, waiting an exponentially growing, jittered delay between
 * attempts. Honours the caller's `AbortSignal` (during attempts and delays) and `retryAfter`
 * hints on errors. A first attempt that succeeds costs one `await`.
 */
export class Retry extends EventEmitter<RetryEvents> implements Policy, Runnable {
  /** The policy's name, from the options. */
  readonly name: string | undefined;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly #backoff: BackoffSettings;
  readonly #retryOn: ((error: unknown, attempt: number) => boolean) | undefined;
  readonly #respectRetryAfter: boolean;
  readonly #attempts: CounterChild | undefined;
  readonly #giveUps: Record<GiveUpReason, CounterChild> | undefined;

  constructor(options: RetryOptions = {}) {
    super();
    checkKeys(OWNER, options, OPTIONS);
    checkRegistry(OWNER, options.registry);
    this.name = policyName(OWNER, options.name, options.registry !== undefined);
    this.maxAttempts = options.maxAttempts ?? 3;
    if (
      this.maxAttempts !== Number.POSITIVE_INFINITY &&
      !(Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1)
    ) {
      throw invalidOption(
        OWNER,
        `maxAttempts should be a positive integer or Infinity, got ${describe(options.maxAttempts)}`,
      );
    }
    const initialDelay = duration(OWNER, 'initialDelay', options.initialDelay ?? '100ms');
    const maxDelay = duration(OWNER, 'maxDelay', options.maxDelay ?? '30s');
    if (initialDelay > maxDelay) {
      throw invalidOption(
        OWNER,
        `initialDelay (${initialDelay} ms) should not exceed maxDelay (${maxDelay} ms)`,
      );
    }
    const jitter = options.jitter ?? 'full';
    if (!JITTERS.includes(jitter)) {
      throw invalidOption(
        OWNER,
        `jitter should be 'full', 'decorrelated' or 'none', got ${describe(jitter)}`,
      );
    }
    this.#backoff = {
      initialDelay,
      maxDelay,
      factor: atLeast(OWNER, 'factor', options.factor ?? 2, 1),
      jitter,
      random: optionalFunction(OWNER, 'random', options.random) ?? Math.random,
    };
    this.#retryOn = optionalFunction(OWNER, 'retryOn', options.retryOn);
    const respect = options.respectRetryAfter ?? true;
    if (typeof respect !== 'boolean') {
      throw invalidOption(OWNER, `respectRetryAfter should be a boolean, got ${describe(respect)}`);
    }
    this.#respectRetryAfter = respect;
    const { registry } = options;
    if (registry !== undefined) {
      const policy = this.name as string;
      this.#attempts = registry
        .counter({
          name: 'vigil_retry_attempts_total',
          help: 'Retries: attempts after the first, by retry policy.',
          labelNames: ['policy'],
        })
        .labels({ policy });
      const giveUps = registry.counter({
        name: 'vigil_retry_give_ups_total',
        help: 'Calls a retry policy gave up on, by reason.',
        labelNames: ['policy', 'reason'],
      });
      this.#giveUps = Object.fromEntries(
        REASONS.map((reason) => [reason, giveUps.labels({ policy, reason })]),
      ) as Record<GiveUpReason, CounterChild>;
    }
  }

  /** Runs `fn` until it succeeds, the policy gives up, or `signal` aborts. */
  execute<T>(fn: Task<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T> {
    return this[RUN](fn, signal, null) as Promise<T>;
  }

  /** @internal */
  async [RUN](fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown> {
    let previous = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await invoke(fn, signal, next);
      } catch (error) {
        const delay = this.#delayAfter(error, attempt, previous, signal);
        if (delay < 0) throw error;
        previous = delay;
        this.#attempts?.inc();
        if (this.listenerCount('retry') !== 0) this.emit('retry', { attempt, delay, error });
        try {
          await sleep(delay, signal);
        } catch (aborted) {
          this.#giveUp(attempt, aborted, 'aborted');
          throw aborted;
        }
      }
    }
  }

  /** The delay before the next attempt, or -1 to give up (after reporting it). */
  #delayAfter(error: unknown, attempt: number, previous: number, signal: AbortSignal): number {
    if (signal.aborted) return this.#giveUp(attempt, error, 'aborted');
    if (attempt >= this.maxAttempts) return this.#giveUp(attempt, error, 'attempts');
    if (!this.#shouldRetry(error, attempt)) return this.#giveUp(attempt, error, 'not-retryable');
    const backoff = backoffDelay(this.#backoff, attempt, previous);
    if (!this.#respectRetryAfter) return backoff;
    const hint = retryAfterOf(error, Date.now());
    if (hint === undefined) return backoff;
    if (hint > this.#backoff.maxDelay) return this.#giveUp(attempt, error, 'retry-after');
    // A hint is the earliest time worth trying again, not a licence to retry sooner than the
    // backoff: a half-open breaker's `retryAfter: 0` must not burn every attempt at once.
    return Math.max(hint, backoff);
  }

  #shouldRetry(error: unknown, attempt: number): boolean {
    const retryOn = this.#retryOn;
    if (retryOn === undefined) return true;
    try {
      return retryOn(error, attempt) === true;
    } catch {
      return false;
    }
  }

  #giveUp(attempts: number, error: unknown, reason: GiveUpReason): -1 {
    this.#giveUps?.[reason].inc();
    if (this.listenerCount('giveUp') !== 0) this.emit('giveUp', { attempts, error, reason });
    return -1;
  }
}

/** Options of the one-shot `retry(fn, options)`. */
export interface RetryCallOptions extends RetryOptions {
  /** Aborts the attempts and the delays between them. */
  signal?: AbortSignal;
}

/** Runs `fn` under a one-off `Retry` policy; keep a `Retry` to reuse its options and metrics. */
export function retry<T>(fn: Task<T>, options: RetryCallOptions = {}): Promise<T> {
  checkKeys('retry', options, [...OPTIONS, 'signal']);
  const { signal, ...rest } = options;
  return new Retry(rest).execute(fn, signal);
}
