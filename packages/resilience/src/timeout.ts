import type { CounterChild, DurationInput, Registry } from '@vigil/core';
import { EventEmitter } from 'eventemitter3';
import { abortedError, joinSignals, NEVER_ABORTED } from './abort.js';
import { TimeoutError } from './errors.js';
import { invoke, type Link, type Policy, RUN, type Runnable, type Task } from './policy.js';
import { SharedDeadlines } from './shared-deadline.js';
import {
  checkKeys,
  checkRegistry,
  describe,
  duration,
  invalidOption,
  policyName,
} from './validate.js';

/**
 * `cooperative` (default): when time runs out the task's signal aborts and the policy waits for
 * the task to settle; a rejection then becomes a `TimeoutError`. `aggressive`: the policy
 * rejects with `TimeoutError` at once, and the task, its signal aborted, is left to finish.
 */
export type TimeoutStrategy = 'cooperative' | 'aggressive';

/** Options of `new Timeout()`. */
export interface TimeoutOptions {
  /** How long a call may run, e.g. `'2s'` or `2000`; more than zero. */
  duration: DurationInput;
  /** `'cooperative'` (default) or `'aggressive'`. */
  strategy?: TimeoutStrategy;
  /** Names the policy in the `policy` metric label; required with `registry`. */
  name?: string;
  /** Keep `vigil_timeouts_total` in this registry. */
  registry?: Registry;
}

/** Events of a `Timeout` policy. */
export interface TimeoutEvents {
  /** A call ran past `duration` (ms). */
  timeout: [event: { duration: number }];
}

const OWNER = 'Timeout';
const OPTIONS = ['duration', 'strategy', 'name', 'registry'];

/**
 * Gives each call an `AbortSignal` that aborts after `duration`, and turns a call that ran out
 * of time into a `TimeoutError`. Calls that start within the same millisecond share one
 * `AbortController` and one timer, so a timeout costs almost nothing per call; it fires at
 * most 1 ms late.
 */
export class Timeout extends EventEmitter<TimeoutEvents> implements Policy, Runnable {
  /** The policy's name, from the options. */
  readonly name: string | undefined;
  /** The timeout in milliseconds. */
  readonly duration: number;
  /** How a call that runs out of time is ended. */
  readonly strategy: TimeoutStrategy;
  readonly #deadlines: SharedDeadlines;
  readonly #timeouts: CounterChild | undefined;

  constructor(options: DurationInput | TimeoutOptions) {
    super();
    const full: TimeoutOptions =
      typeof options === 'number' || typeof options === 'string' ? { duration: options } : options;
    checkKeys(OWNER, full, OPTIONS);
    checkRegistry(OWNER, full.registry);
    this.name = policyName(OWNER, full.name, full.registry !== undefined);
    this.duration = duration(OWNER, 'duration', full.duration, true);
    this.strategy = full.strategy ?? 'cooperative';
    if (this.strategy !== 'cooperative' && this.strategy !== 'aggressive') {
      throw invalidOption(
        OWNER,
        `strategy should be 'cooperative' or 'aggressive', got ${describe(full.strategy)}`,
      );
    }
    this.#deadlines = new SharedDeadlines(this.duration);
    this.#timeouts = full.registry
      ?.counter({
        name: 'vigil_timeouts_total',
        help: 'Calls that ran past their timeout, by timeout policy.',
        labelNames: ['policy'],
      })
      .labels({ policy: this.name as string });
  }

  /** Runs `fn` with a signal that aborts when time runs out or when `signal` aborts. */
  execute<T>(fn: Task<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T> {
    return this[RUN](fn, signal, null) as Promise<T>;
  }

  /** @internal */
  async [RUN](fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown> {
    if (signal.aborted) throw abortedError(signal);
    const slot = this.#deadlines.acquire();
    const own = slot.controller.signal;
    // Only a caller's own signal costs a controller: the shared one is used as it is.
    const joined = signal === NEVER_ABORTED ? undefined : joinSignals(signal, own);
    const inner = joined === undefined ? own : joined.signal;
    try {
      if (this.strategy === 'aggressive') return await this.#race(fn, inner, next, signal);
      const value = await invoke(fn, inner, next);
      if (own.aborted) this.#timedOut();
      return value;
    } catch (error) {
      if (!own.aborted || signal.aborted) throw error;
      // An inner policy's own timeout stays as it is.
      if (error instanceof TimeoutError && error !== own.reason) throw error;
      this.#timedOut();
      throw new TimeoutError(this.duration, { cause: error === own.reason ? undefined : error });
    } finally {
      joined?.dispose();
      this.#deadlines.release(slot);
    }
  }

  /** Stops the idle shared timer; timers of running calls fire as usual. */
  dispose(): void {
    this.#deadlines.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The aggressive strategy: settles at the deadline (or the caller's abort) at the latest. */
  #race(
    fn: Task<unknown>,
    inner: AbortSignal,
    next: Link | null,
    signal: AbortSignal,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (signal.aborted) {
          reject(abortedError(signal));
        } else {
          this.#timedOut();
          reject(new TimeoutError(this.duration));
        }
      };
      inner.addEventListener('abort', onAbort, { once: true });
      const settle = () => inner.removeEventListener('abort', onAbort);
      new Promise((run) => run(invoke(fn, inner, next))).then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  #timedOut(): void {
    this.#timeouts?.inc();
    if (this.listenerCount('timeout') !== 0) this.emit('timeout', { duration: this.duration });
  }
}

/** Options of the one-shot `timeout(fn, duration, options)`. */
export interface TimeoutCallOptions {
  /** The caller's signal; aborting it aborts the task's signal too. */
  signal?: AbortSignal;
  /** `'cooperative'` (default) or `'aggressive'`. */
  strategy?: TimeoutStrategy;
}

/**
 * Runs `fn` with a signal that aborts after `duration`; a late rejection is a `TimeoutError`.
 * The one-off policy is disposed when the call settles, so no timer outlives the call.
 */
export function timeout<T>(
  fn: Task<T>,
  duration: DurationInput,
  options: TimeoutCallOptions = {},
): Promise<T> {
  checkKeys('timeout', options, ['signal', 'strategy']);
  const policy = new Timeout(
    options.strategy === undefined ? { duration } : { duration, strategy: options.strategy },
  );
  return runOnce(policy, fn, options.signal);
}

async function runOnce<T>(policy: Timeout, fn: Task<T>, signal: AbortSignal | undefined) {
  try {
    return await policy.execute(fn, signal);
  } finally {
    policy.dispose();
  }
}
