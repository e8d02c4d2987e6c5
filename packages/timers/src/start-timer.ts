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
import { currentScope } from './timing-scope.js';

/** Stops a timer started by `startTimer()`: records and returns the seconds elapsed. */
export type EndTimer<L extends string = never> = (extraLabels?: Partial<Labels<L>>) => number;

/**
 * prom-client's `startTimer`, for any histogram, summary, bound child or `BoundTimer`: returns
 * `end(extraLabels?)`, which records the seconds elapsed and returns them. `end` records once;
 * later calls return the same seconds.
 *
 * @throws TimersError `TIMERS_INVALID_METRIC` when the target cannot record durations.
 */
export function startTimer<L extends string>(
  metric: TimedMetric<L>,
  labels?: Partial<Labels<L>>,
): EndTimer<L>;
export function startTimer(target: TimedChild | BoundTimer): EndTimer;
export function startTimer(target: AnyTarget, labels?: object): EndTimer<string> {
  assertTarget(target, 'startTimer');
  const scope = currentScope();
  const start = performance.now();
  let seconds = -1;
  return (extraLabels) => {
    if (seconds >= 0) return seconds;
    seconds = (performance.now() - start) / 1000;
    recordDuration(
      target,
      labels as AnyLabels | undefined,
      extraLabels as AnyLabels | undefined,
      seconds,
      false,
      undefined,
      scope,
    );
    return seconds;
  };
}
