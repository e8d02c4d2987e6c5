import type { CounterChild } from '@vigil/core';
import { checkOptionsObject } from '@vigil/core/options';
import { EventEmitter } from 'eventemitter3';
import { NEVER_ABORTED, sleep } from './abort.js';
import { backoffDelay } from './backoff/jitter.js';
import { emitReporting } from './emit-reporting.js';
import { invoke, type Link, type Policy, RUN, type Runnable, type Task } from './policy.js';
import { retryAfterOf } from './retry-after.js';
import { RETRY_KEYS, type RetryConfig, type RetryOptions, retryConfig } from './retry-options.js';

/** Why a retry policy stopped retrying. */
export type GiveUpReason = 'attempts' | 'not-retryable' | 'retry-after' | 'aborted';

/** What `Retry.plan()` decided: try again after `delay` ms, or give up for `reason`. */
export type RetryPlan =
  | { readonly retry: true; readonly delay: number }
  | { readonly retry: false; readonly reason: GiveUpReason };

/** Events of a `Retry` policy. Delays are milliseconds. */
export interface RetryEvents {
  /** Attempt `attempt` failed with `error`; the next one starts after `delay`. */
  retry: [event: { attempt: number; delay: number; error: unknown }];
  /** The policy stopped after `attempts` attempts and rethrows `error`. */
  giveUp: [event: { attempts: number; error: unknown; reason: GiveUpReason }];
}

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
  readonly #config: RetryConfig;
  readonly #attempts: CounterChild | undefined;
  readonly #giveUps: Record<GiveUpReason, CounterChild> | undefined;

  constructor(options?: RetryOptions) {
    super();
    this.#config = retryConfig(options);
    this.name = this.#config.name;
    this.maxAttempts = this.#config.maxAttempts;
    const { registry } = this.#config;
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
        this.#retrying(attempt, delay, error);
        try {
          await sleep(delay, signal, this.#config.timers);
        } catch (aborted) {
          this.#giveUp(attempt, aborted, 'aborted');
          throw aborted;
        }
      }
    }
  }

  /**
   * Decides, without running or waiting anything, what the policy does after attempt number
   * `attempt` (1 for the first) failed with `error`: for schedulers that wait on their own, such
   * as a job queue that stores the retry's time. `previous` is the delay that came before that
   * attempt (0 for the first; decorrelated jitter grows from it). It counts and emits `retry` or
   * `giveUp` as `execute` does.
   */
  plan(error: unknown, attempt: number, previous = 0): RetryPlan {
    const delay = this.#delayAfter(error, attempt, previous, NEVER_ABORTED);
    if (delay >= 0) {
      this.#retrying(attempt, delay, error);
      return { retry: true, delay };
    }
    return { retry: false, reason: this.#lastGiveUp };
  }

  #lastGiveUp: GiveUpReason = 'attempts';

  #retrying(attempt: number, delay: number, error: unknown): void {
    this.#attempts?.inc();
    if (this.listenerCount('retry') !== 0) this.#emit('retry', { attempt, delay, error });
  }

  /** The delay before the next attempt, or -1 to give up (after reporting it). */
  #delayAfter(error: unknown, attempt: number, previous: number, signal: AbortSignal): number {
    if (signal.aborted) return this.#giveUp(attempt, error, 'aborted');
    if (attempt >= this.maxAttempts) return this.#giveUp(attempt, error, 'attempts');
    if (!this.#shouldRetry(error, attempt)) return this.#giveUp(attempt, error, 'not-retryable');
    const { backoff: settings, respectRetryAfter, clock } = this.#config;
    const backoff = backoffDelay(settings, attempt, previous);
    if (!respectRetryAfter) return backoff;
    const hint = retryAfterOf(error, clock.now());
    if (hint === undefined) return backoff;
    if (hint > settings.maxDelay) return this.#giveUp(attempt, error, 'retry-after');
    // A hint is the earliest time worth trying again, not a licence to retry sooner than the
    // backoff: a half-open breaker's `retryAfter: 0` must not burn every attempt at once.
    return Math.max(hint, backoff);
  }

  #shouldRetry(error: unknown, attempt: number): boolean {
    const retryOn = this.#config.retryOn;
    if (retryOn === undefined) return true;
    try {
      return retryOn(error, attempt) === true;
    } catch (thrown) {
      // A bug in the filter: give up with the task's own error (what the caller handles), and
      // report the filter's error rather than lose it.
      this.#config.report(thrown, 'retryOn');
      return false;
    }
  }

  #giveUp(attempts: number, error: unknown, reason: GiveUpReason): -1 {
    this.#lastGiveUp = reason;
    this.#giveUps?.[reason].inc();
    if (this.listenerCount('giveUp') !== 0) this.#emit('giveUp', { attempts, error, reason });
    return -1;
  }

  #emit<K extends keyof RetryEvents>(event: K, ...args: RetryEvents[K]): void {
    emitReporting(this, this.#config.report, event, ...args);
  }
}

/** Options of the one-shot `retry(fn, options)`. */
export interface RetryCallOptions extends RetryOptions {
  /** Aborts the attempts and the delays between them. */
  signal?: AbortSignal | undefined;
}

/** Runs `fn` under a one-off `Retry` policy; keep a `Retry` to reuse its options and metrics. */
export function retry<T>(fn: Task<T>, options?: RetryCallOptions): Promise<T> {
  const { signal, ...rest } = checkOptionsObject('retry', options, [
    ...RETRY_KEYS,
    'signal',
  ]) as RetryCallOptions;
  return new Retry(rest).execute(fn, signal);
}
