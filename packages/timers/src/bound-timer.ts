import { checkOptionsObject, optionalString } from '@vigil/core/options';
import { TimersError } from './errors.js';
import {
  type AnyLabels,
  assertTarget,
  isMetric,
  type MetricLike,
  RESULT_LABEL,
  type TimedChild,
  type TimedMetric,
  type TimerLabels,
} from './timer-target.js';

/** Options of `bindTimer()`. */
export interface BindTimerOptions {
  /** Name of this timer's entries in a `timingScope` (and `Server-Timing`); default the metric's name. */
  name?: string | undefined;
  /** Detail attached to this timer's scope entries (never rendered in `Server-Timing`). */
  detail?: string | undefined;
}

const OWNER = 'bindTimer';
const OPTIONS = ['name', 'detail'] as const;

/** Anything with `observe(seconds)`: a bound child, or an unlabelled metric. */
interface Observer {
  observe(value: number): void;
}

/**
 * A metric and a label set resolved once: the children for `result="success"` and
 * `result="error"` are bound up front, so a timer on it records with one field update and no
 * allocation. Pass it to `timer()`, `startTimer()`, `measure()` or `@timed()`.
 */
export class BoundTimer {
  /** Name of this timer's entries in a timing scope. */
  readonly name: string;
  /** Detail attached to this timer's scope entries. */
  readonly detail: string | undefined;
  readonly #success: Observer;
  readonly #error: Observer;

  /** @internal Use `bindTimer()`. */
  constructor(
    metric: MetricLike | TimedChild,
    labels: AnyLabels | undefined,
    name: string | undefined,
    detail: string | undefined,
  ) {
    if (isMetric(metric)) {
      const hasResult = metric.labelNames.includes(RESULT_LABEL);
      this.#success = bind(metric, labels, hasResult ? 'success' : undefined);
      this.#error = hasResult ? bind(metric, labels, 'error') : this.#success;
      this.name = name ?? metric.name;
    } else {
      this.#success = metric;
      this.#error = metric;
      this.name = name ?? 'timer';
    }
    this.detail = detail;
  }

  /** @internal Records `seconds` as a success or a failure. */
  record(seconds: number, failed: boolean): void {
    (failed ? this.#error : this.#success).observe(seconds);
  }

  /** Records `seconds` directly, e.g. a duration measured elsewhere. */
  observe(seconds: number, outcome: 'success' | 'error' = 'success'): void {
    this.record(seconds, outcome === 'error');
  }
}

function bind(
  metric: MetricLike,
  labels: AnyLabels | undefined,
  result: string | undefined,
): Observer {
  if (metric.labelNames.length === 0) return metric as Observer;
  const full: Record<string, string | number> = { ...labels };
  if (result !== undefined && full[RESULT_LABEL] === undefined) full[RESULT_LABEL] = result;
  return metric.labels(full as never);
}

/**
 * Binds `metric` and `labels` once for the hottest timers. When the metric has a `result` label
 * and `labels` does not set it, a child for each outcome is bound now, so both series exist
 * (at zero) from the start, as Prometheus recommends.
 *
 * @throws TimersError `TIMERS_INVALID_METRIC` when `metric` is not a histogram or summary;
 * ConfigurationError `INVALID_OPTION` for a bad option.
 */
export function bindTimer<L extends string>(
  metric: TimedMetric<L>,
  ...rest: [Exclude<L, 'result'>] extends [never]
    ? [labels?: TimerLabels<L>, options?: BindTimerOptions]
    : [labels: TimerLabels<L>, options?: BindTimerOptions]
): BoundTimer;
export function bindTimer(child: TimedChild, options?: BindTimerOptions): BoundTimer;
export function bindTimer(
  metric: MetricLike | TimedChild,
  labelsOrOptions?: AnyLabels | BindTimerOptions,
  options?: BindTimerOptions,
): BoundTimer {
  assertTarget(metric, 'bindTimer');
  if (metric instanceof BoundTimer) {
    throw new TimersError(
      'TIMERS_INVALID_METRIC',
      'bindTimer: the metric is already a BoundTimer; pass it to timer(), measure() or @timed() as it is',
    );
  }
  const labelled = isMetric(metric);
  const labels = labelled ? (labelsOrOptions as AnyLabels | undefined) : undefined;
  const opts = checkOptionsObject(OWNER, labelled ? options : labelsOrOptions, OPTIONS);
  return new BoundTimer(
    metric,
    labels,
    optionalString(OWNER, 'name', opts['name']),
    optionalString(OWNER, 'detail', opts['detail'], { allowEmpty: true }),
  );
}
