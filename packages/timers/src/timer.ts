import type { Labels } from '@vigil/core';
import type { BoundTimer } from './bound-timer.js';
import { recordDuration } from './record-duration.js';
import {
  type AnyLabels,
  type AnyTarget,
  assertTarget,
  type TimedChild,
  type TimedMetric,
} from './timer-target.js';
import { currentScope, type TimingScope } from './timing-scope.js';

/**
 * A running timer. It records once: on `end()`, or on dispose when it is held by `using` /
 * `await using`. `fail()` marks the outcome as an error (`result="error"` on metrics with a
 * `result` label): a disposer cannot see whether its block threw, so call it in a `catch`, or
 * use `measure()` / `@timed`, which do it for you.
 */
export class Timer<L extends string = string> implements Disposable, AsyncDisposable {
  readonly #target: AnyTarget;
  readonly #labels: AnyLabels | undefined;
  readonly #start: number;
  /** The timing scope active at the start, which the stop records into. */
  readonly #scope: TimingScope | undefined;
  #detail: string | undefined;
  #seconds = -1;
  #failed = false;

  /** @internal Use `timer()`. */
  constructor(target: AnyTarget, labels: AnyLabels | undefined, detail: string | undefined) {
    this.#target = target;
    this.#labels = labels;
    this.#detail = detail;
    this.#scope = currentScope();
    this.#start = performance.now();
  }

  /** True once the timer has recorded. */
  get ended(): boolean {
    return this.#seconds >= 0;
  }

  /** True when the outcome is an error (`fail()` was called). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Seconds since the start (or the recorded duration, once ended). */
  elapsed(): number {
    return this.#seconds >= 0 ? this.#seconds : (performance.now() - this.#start) / 1000;
  }

  /** Marks the outcome as an error; `detail` (optional) replaces the scope entry's detail. */
  fail(detail?: string): this {
    this.#failed = true;
    if (detail !== undefined) this.#detail = detail;
    return this;
  }

  /**
   * Stops the timer, records the seconds and returns them. `extraLabels` complete or override
   * the labels given at the start (metric targets only). Later calls record nothing and return
   * the same seconds.
   */
  end(extraLabels?: Partial<Labels<L>>): number {
    if (this.#seconds >= 0) return this.#seconds;
    const seconds = (performance.now() - this.#start) / 1000;
    this.#seconds = seconds;
    recordDuration(
      this.#target,
      this.#labels,
      extraLabels as AnyLabels | undefined,
      seconds,
      this.#failed,
      this.#detail,
      this.#scope,
    );
    return seconds;
  }

  /** Ends the timer (`using`). */
  [Symbol.dispose](): void {
    this.end();
  }

  /** Ends the timer (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.end();
    return Promise.resolve();
  }
}

/**
 * Starts a timer on a histogram or summary, a bound child, or a `BoundTimer`. Hold it with
 * `using` to record when the block exits, or call `end()`.
 *
 * ```ts
 * { using t = timer(latency, { job: 'report' }); await build(); }
 * ```
 *
 * @throws TimersError `TIMERS_INVALID_METRIC` when the target cannot record durations.
 */
export function timer<L extends string>(
  metric: TimedMetric<L>,
  labels?: Partial<Labels<L>>,
): Timer<L>;
export function timer(target: TimedChild | BoundTimer): Timer<never>;
export function timer(target: AnyTarget, labels?: object): Timer {
  assertTarget(target, 'timer');
  return new Timer(target, labels as AnyLabels | undefined, undefined);
}
