import { BoundTimer } from './bound-timer.js';
import {
  type AnyLabels,
  type AnyTarget,
  isMetric,
  type MetricLike,
  RESULT_LABEL,
} from './timer-target.js';
import { currentScope } from './timing-scope.js';

/**
 * Records `seconds` into `target` and, when a timing scope is active, into the scope. The one
 * place a timer's stop ends up: a bound child or `BoundTimer` is a field update; a metric with a
 * `result` label gets `result="success"` or `"error"` unless the labels set it.
 */
export function recordDuration(
  target: AnyTarget,
  labels: AnyLabels | undefined,
  extraLabels: AnyLabels | undefined,
  seconds: number,
  failed: boolean,
  detail: string | undefined,
): void {
  if (target instanceof BoundTimer) target.record(seconds, failed);
  else if (!isMetric(target)) target.observe(seconds);
  else observeMetric(target, labels, extraLabels, seconds, failed);
  const scope = currentScope();
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
  if (labels === undefined && extraLabels === undefined && !withResult) {
    metric.observe(seconds);
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
