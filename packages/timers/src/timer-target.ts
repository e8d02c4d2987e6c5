import type { Histogram, HistogramChild, Labels, Summary, SummaryChild } from '@vigil/core';
import { describeValue } from '@vigil/core/options';
import type { BoundTimer } from './bound-timer.js';
import { TimersError } from './errors.js';

/** A histogram or summary: what a timer observes its seconds into. */
export type TimedMetric<L extends string = string> = Histogram<L> | Summary<L>;

/** A histogram or summary bound to one label set (`metric.labels({...})`): the fastest target. */
export type TimedChild = HistogramChild | SummaryChild;

/** Anything a timer can record into. */
export type TimerTarget<L extends string = string> = TimedMetric<L> | TimedChild | BoundTimer;

/**
 * @internal The structural view the recording code has of a histogram or summary: any
 * `Histogram<L>` or `Summary<L>` fits it, whatever its `L`.
 */
export interface MetricLike {
  readonly type: 'histogram' | 'summary';
  readonly name: string;
  readonly labelNames: readonly string[];
  observe(value: number): void;
  observe(labels: never, value: number): void;
  labels(labels: never): { observe(value: number): void };
}

/** @internal Any target, as the recording code sees it. */
export type AnyTarget = MetricLike | TimedChild | BoundTimer;

/**
 * Labels for a metric whose label names are `L`: every label but `result`, which the timer sets
 * to `'success'` or `'error'` (when the metric has it) unless given.
 */
export type TimerLabels<L extends string> = {
  readonly [K in Exclude<L, 'result'>]: Labels<L>[K];
} & {
  readonly [K in Extract<L, 'result'>]?: Labels<L>[K];
};

/**
 * The labels argument for a metric whose label names are `L`: required when the metric has
 * labels besides `result`, optional otherwise.
 */
export type LabelsArgument<L extends string> = [Exclude<L, 'result'>] extends [never]
  ? TimerLabels<L> | undefined
  : TimerLabels<L>;

/** The label that carries a timed call's outcome, when the metric has it. */
export const RESULT_LABEL = 'result';

/** A label set as the recording code sees it. */
export type AnyLabels = Readonly<Record<string, string | number>>;

/** True for a metric (it has `labelNames`), false for a bound child or a `BoundTimer`. */
export function isMetric(target: object): target is MetricLike {
  return Array.isArray((target as { labelNames?: unknown }).labelNames);
}

/** Throws `TIMERS_INVALID_METRIC` unless `target` can record a duration. */
export function assertTarget(target: unknown, where: string): asserts target is AnyTarget {
  if (typeof target === 'object' && target !== null) {
    const { observe, type } = target as { observe?: unknown; type?: unknown };
    if (
      typeof observe === 'function' &&
      (type === undefined || type === 'histogram' || type === 'summary')
    ) {
      return;
    }
    if (typeof type === 'string') {
      throw new TimersError(
        'TIMERS_INVALID_METRIC',
        `${where}: a timer records into a histogram or summary, got a ${type} '${String((target as { name?: unknown }).name)}'`,
      );
    }
  }
  throw new TimersError(
    'TIMERS_INVALID_METRIC',
    `${where}: the metric should be a histogram or summary (or a child from .labels({...}), or a bindTimer() result), got ${describeValue(target)}`,
  );
}
