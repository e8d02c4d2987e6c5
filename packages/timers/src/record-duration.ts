import { BoundTimer } from './bound-timer.js';
import {
  type AnyLabels,
  type AnyTarget,
  isMetric,
  type MetricLike,
  RESULT_LABEL,
} from './timer-target.js';
import type { TimingScope } from './timing-scope.js';

/**
 * Records `seconds` into `target` and, when the timer started inside a timing scope, into that
 * scope (`scope` is read at the start, so a timer stopped from another async context, such as
 * a batcher's callback, still lands in its own request's scope). The one place a timer's stop
 * ends up: a bound child or `BoundTimer` is a field update; a metric with a `result` label gets
 * `result="success"` or `"error"` unless the labels set it.
 */
export function recordDuration(
  target: AnyTarget,
  labels: AnyLabels | undefined,
  extraLabels: AnyLabels | undefined,
  seconds: number,
  failed: boolean,
  detail: string | undefined,
  scope: TimingScope | undefined,
): void {
  if (target instanceof BoundTimer) target.record(seconds, failed);
  else if (!isMetric(target)) target.observe(seconds);
  else observeMetric(target, labels, extraLabels, seconds, failed);
  if (scope !== undefined) {
    scope.add(
      nameOf(target),
      seconds * 1000,
      failed,
      detail ?? (target as { detail?: string }).detail,
    );
  }
}

function observeMetric(
  metric: MetricLike,
  labels: AnyLabels | undefined,
  extraLabels: AnyLabels | undefined,
  seconds: number,
  failed: boolean,
): void {
  const withResult = metric.labelNames.includes(RESULT_LABEL);
  if (extraLabels === undefined && (!withResult || labels?.[RESULT_LABEL] !== undefined)) {
    // Nothing to add: the start's labels go as they are, without a copy per stop.
    if (labels === undefined) metric.observe(seconds);
    else metric.observe(labels as never, seconds);
    return;
  }
  const full: Record<string, string | number> = { ...labels, ...extraLabels };
  if (withResult && full[RESULT_LABEL] === undefined)
    full[RESULT_LABEL] = failed ? 'error' : 'success';
  metric.observe(full as never, seconds);
}

function nameOf(target: AnyTarget): string {
  const name = (target as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'timer';
}
