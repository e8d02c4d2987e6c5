import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type CounterChild,
  type DurationInput,
  type OnError,
  type Registry,
  systemTimers,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  optionalChoice,
  optionalDuration,
  optionalOnError,
  optionalRegistry,
  optionalTimers,
  required,
} from '@vigil/core/options';
import { EventEmitter } from 'eventemitter3';
import { abortedError, joinSignals, NEVER_ABORTED } from './abort.js';
import { emitReporting } from './emit-reporting.js';
import { TimeoutError } from './errors.js';
import { invoke, type Link, type Policy, RUN, type Runnable, type Task } from './policy.js';
import { policyName } from './policy-name.js';
import { SharedDeadlines } from './shared-deadline.js';

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
  strategy?: TimeoutStrategy | undefined;
  /** Names the policy in the `policy` metric label; required with `registry`. */
  name?: string | undefined;
  /** Keep `vigil_timeouts_total` in this registry. */
  registry?: Registry | undefined;
  /** Where the deadline timers are scheduled; default core's `systemTimers` (unref'd). */
  timers?: Timers | undefined;
  /**
   * Where a throwing event listener is reported, as `(error, { source, operation })`; the call
   * keeps its own result. Default: one `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) per event.
   */
  onError?: OnError | undefined;
}

/** Events of a `Timeout` policy. */
export interface TimeoutEvents {
  /** A call ran past `duration` (ms). */
  timeout: [event: { duration: number }];
}

const OWNER = 'Timeout';
const OPTIONS = ['duration', 'strategy', 'name', 'registry', 'timers', 'onError'] as const;
const STRATEGIES: readonly TimeoutStrategy[] = ['cooperative', 'aggressive'];

/**
 * Gives each call an `AbortSignal` that aborts after `duration`, and turns a call that ran out
 * of time into a `TimeoutError`. Calls that start within the same millisecond share one
 * `AbortController` and one timer, so a timeout costs almost nothing per call; it fires at
 * most 1 ms late. `close()` clears the timer kept for the next calls.
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
  readonly #report: BackgroundErrorReporter;

  constructor(options: DurationInput | TimeoutOptions) {
    super();
    const full =
      typeof options === 'number' || typeof options === 'string'
        ? { duration: options }
        : checkOptionsObject(OWNER, options, OPTIONS, { required: true });
    const registry = optionalRegistry<Registry>(OWNER, 'registry', full['registry']);
    this.name = policyName(OWNER, full['name'], registry !== undefined);
    this.duration = required(
      OWNER,
      'duration',
      optionalDuration(OWNER, 'duration', full['duration'], { positive: true }),
      "how long a call may run, such as '2s'",
    );
    this.strategy =
      optionalChoice(OWNER, 'strategy', full['strategy'], STRATEGIES) ?? 'cooperative';
    this.#deadlines = new SharedDeadlines(
      this.duration,
      optionalTimers(OWNER, 'timers', full['timers']) ?? systemTimers,
    );
    this.#report = backgroundErrorReporter(
      OWNER,
      optionalOnError(OWNER, 'onError', full['onError']),
    );
    this.#timeouts = registry
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

  /**
   * The teardown: clears the shared timer kept for the next calls. Calls still running keep
   * their deadline. The policy still works afterwards, without keeping a timer beyond the calls
   * that need it: each later call's timer is cleared when the call settles. Idempotent.
   */
  close(): Promise<void> {
    this.#deadlines.close();
    return Promise.resolve();
  }

  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
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
    if (this.listenerCount('timeout') !== 0) {
      emitReporting(this, this.#report, 'timeout', { duration: this.duration });
    }
  }
}

/** Options of the one-shot `timeout(fn, duration, options)`. */
export interface TimeoutCallOptions {
  /** The caller's signal; aborting it aborts the task's signal too. */
  signal?: AbortSignal | undefined;
  /** `'cooperative'` (default) or `'aggressive'`. */
  strategy?: TimeoutStrategy | undefined;
  /** Where the deadline timer is scheduled; default core's `systemTimers`. */
  timers?: Timers | undefined;
}

/**
 * Runs `fn` with a signal that aborts after `duration`; a late rejection is a `TimeoutError`.
 * The one-off policy is closed when the call settles, so no timer outlives the call.
 */
export function timeout<T>(
  fn: Task<T>,
  duration: DurationInput,
  options?: TimeoutCallOptions,
): Promise<T> {
  const { signal, strategy, timers } = checkOptionsObject('timeout', options, [
    'signal',
    'strategy',
    'timers',
  ]) as TimeoutCallOptions;
  return runOnce(new Timeout({ duration, strategy, timers }), fn, signal);
}

async function runOnce<T>(policy: Timeout, fn: Task<T>, signal: AbortSignal | undefined) {
  try {
    return await policy.execute(fn, signal);
  } finally {
    await policy.close();
  }
}
