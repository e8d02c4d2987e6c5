import { assertLabelNames, assertMetricName } from './names.js';
import { describeValue } from './options/describe-value.js';
import { invalidOption } from './options/invalid-option.js';
import {
  optionalFunction,
  optionalInteger,
  optionalString,
  required,
} from './options/value-checks.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/**
 * A metric's `collect` option: called before each exposition or snapshot to bring the values up
 * to date, with the metric both as `this` and as the argument, so that prom-client's
 * `collect() { this.set(queue.length) }` works unchanged next to `collect: (g) => g.set(…)`.
 */
export type CollectCallback<M> = {
  // A method signature, so that `Counter<'a'>` stays assignable to `Counter<string>` (method
  // parameters are compared bivariantly; a function-typed property would make metrics invariant).
  collect(this: M, metric: M): void | Promise<void>;
}['collect'];

/** Options every metric type takes. */
export interface MetricOptions<L extends string> {
  /** Metric name, Prometheus style: `[a-zA-Z_:][a-zA-Z0-9_:]*`, e.g. `http_requests_total`. */
  name: string;
  /** One line saying what the metric measures. */
  help: string;
  /** Names of the labels every observation carries, in a fixed order. */
  labelNames?: readonly L[];
  /** Unit (`seconds`, `bytes`); the name must then end with `_<unit>` (OpenMetrics rule). */
  unit?: string;
  /** Cardinality limit: series past it go to one `vigil_overflow="true"` series. */
  maxSeries?: number;
}

/** A metric's definition, checked. */
export interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  readonly collect: CollectCallback<never> | undefined;
}

/**
 * Checks the options every metric type shares, once, at definition.
 *
 * @throws ConfigurationError `INVALID_METRIC_NAME`, `INVALID_LABEL_NAME` or `INVALID_OPTION`.
 */
export function checkMetricOptions(
  options: MetricOptions<string> & { readonly collect?: unknown },
  reservedLabels: readonly string[],
  defaultMaxSeries: number,
): MetricDefinition {
  const name = options.name;
  assertMetricName(name);
  const labelNames = options.labelNames ?? [];
  assertLabelNames(name, labelNames, reservedLabels);
  const help = required(
    name,
    'help',
    optionalString(name, 'help', options.help),
    'one line saying what the metric measures',
  );
  const unit = optionalString(name, 'unit', options.unit);
  if (unit !== undefined) checkUnit(name, unit);
  return {
    name,
    help,
    unit,
    labelNames: Object.freeze([...labelNames]),
    maxSeries:
      optionalInteger(name, 'maxSeries', options.maxSeries, { min: 1 }) ?? defaultMaxSeries,
    collect: optionalFunction<CollectCallback<never>>(name, 'collect', options.collect),
  };
}

const UNIT = /^[a-zA-Z0-9_]+$/;

// OpenMetrics: a family with a unit has a name ending in `_<unit>` (before `_total`).
function checkUnit(name: string, unit: string): void {
  const family = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  if (!UNIT.test(unit) || !family.endsWith(`_${unit}`)) {
    throw invalidOption(
      name,
      `unit should be a word such as 'seconds' that the name ends with ('${family}_${unit}'), got unit ${describeValue(unit)}`,
    );
  }
}
