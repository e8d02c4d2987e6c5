import type { BoundTimer } from './bound-timer.js';
import { Timer } from './timer.js';
import {
  type AnyLabels,
  type AnyTarget,
  assertTarget,
  type LabelsArgument,
  type TimedChild,
  type TimedMetric,
} from './timer-target.js';

/**
 * Times `fn`: a sync result records when `fn` returns, a promise when it settles. Returns what
 * `fn` returns and rethrows what it throws (or rejects with), after recording it with
 * `result="error"` when the metric has a `result` label.
 *
 * ```ts
 * const report = await measure(latency, { job: 'report' }, () => build());
 * ```
 *
 * @throws TimersError `TIMERS_INVALID_METRIC` when the target cannot record durations.
 */
export function measure<L extends string, T>(
  metric: TimedMetric<L>,
  labels: LabelsArgument<L>,
  fn: () => T,
): T;
export function measure<T>(
  target: TimedMetric<never> | TimedMetric<'result'> | TimedChild | BoundTimer,
  fn: () => T,
): T;
export function measure<T>(
  target: AnyTarget,
  labelsOrFn: AnyLabels | undefined | (() => T),
  maybeFn?: () => T,
): T {
  assertTarget(target, 'measure');
  const fn = typeof labelsOrFn === 'function' ? labelsOrFn : (maybeFn as () => T);
  const labels = typeof labelsOrFn === 'function' ? undefined : labelsOrFn;
  return timeCall(new Timer(target, labels, undefined), fn, undefined, NO_ARGS);
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** @internal Calls `fn` with `thisArg` and `args`, ending `timer` when the call completes. */
export function timeCall<T>(
  timer: Timer<string>,
  fn: (...args: never[]) => T,
  thisArg: unknown,
  args: readonly unknown[],
): T {
  let result: T;
  try {
    result = Reflect.apply(fn, thisArg, args);
  } catch (error) {
    timer.fail().end();
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        timer.end();
        return value;
      },
      (error: unknown) => {
        timer.fail().end();
        throw error;
      },
    ) as T;
  }
  timer.end();
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
