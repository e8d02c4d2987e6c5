import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type OnError,
} from './background-errors.js';
import { type Clock, systemClock } from './clock.js';
import { ConfigurationError } from './errors.js';
import { wellFormedProblem } from './label-values.js';
import { assertLabelName } from './names.js';
import type { OnInvalid } from './observation-reporter.js';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalChoice,
  optionalClock,
  optionalInteger,
  optionalOnError,
  optionalString,
} from './options/index.js';

/** Options of `new Registry()`. */
export interface RegistryOptions {
  /** Labels added to every series of every metric, e.g. `{ service: 'api' }`. */
  defaultLabels?: Readonly<Record<string, string>> | undefined;
  /** Prepended to every metric name registered here, e.g. `'myapp_'`. */
  prefix?: string | undefined;
  /** What a bad observation does: `'drop'` (default: counted, warned once) or `'throw'`. */
  onInvalid?: OnInvalid | undefined;
  /** Default cardinality limit of each metric; default 2,000 series. */
  maxSeriesPerMetric?: number | undefined;
  /**
   * The longest label value a new series may have, in UTF-16 code units (`string.length`);
   * default 1,024. A longer one is an invalid observation (`LABELS_MISMATCH`, reason
   * `label_value_too_long`) handled by `onInvalid`, so that a stray URL or payload in a label
   * cannot hold megabytes per series. Checked when a series is created, not on each recording.
   */
  maxLabelValueLength?: number | undefined;
  /** Wall clock in ms (creation times, summary windows); inject one in tests. Default `Date`. */
  clock?: Clock | undefined;
  /**
   * Where a failing `collect` callback is reported, as `(error, { source: 'Registry',
   * operation: 'collect <metric>' })`; the metric keeps its previous values. Default: a
   * `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) once per metric.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface RegistryConfig {
  readonly prefix: string;
  readonly defaultLabels: Readonly<Record<string, string>>;
  readonly onInvalid: OnInvalid;
  readonly maxSeriesPerMetric: number;
  readonly maxLabelValueLength: number;
  readonly clock: Clock;
  readonly reportError: BackgroundErrorReporter;
}

/** The default of `maxLabelValueLength`. */
export const DEFAULT_MAX_LABEL_VALUE_LENGTH = 1024;

const OWNER = 'Registry';
const KEYS = [
  'defaultLabels',
  'prefix',
  'onInvalid',
  'maxSeriesPerMetric',
  'maxLabelValueLength',
  'clock',
  'onError',
];
const METRIC_NAME_START = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** @internal Checks the options once, at construction. */
export function registryConfig(input: RegistryOptions | undefined): RegistryConfig {
  const options = checkOptionsObject(OWNER, input, KEYS) as RegistryOptions;
  const maxLabelValueLength =
    optionalInteger(OWNER, 'maxLabelValueLength', options.maxLabelValueLength, { min: 1 }) ??
    DEFAULT_MAX_LABEL_VALUE_LENGTH;
  return {
    prefix: checkPrefix(OWNER, 'prefix', options.prefix),
    defaultLabels: checkConstantLabels(
      OWNER,
      'defaultLabels',
      options.defaultLabels,
      maxLabelValueLength,
    ),
    onInvalid: optionalChoice(OWNER, 'onInvalid', options.onInvalid, ['drop', 'throw']) ?? 'drop',
    maxSeriesPerMetric:
      optionalInteger(OWNER, 'maxSeriesPerMetric', options.maxSeriesPerMetric, { min: 1 }) ?? 2000,
    maxLabelValueLength,
    clock: optionalClock(OWNER, 'clock', options.clock) ?? systemClock,
    reportError: backgroundErrorReporter(OWNER, optionalOnError(OWNER, 'onError', options.onError)),
  };
}

/** The labels of `registry.setDefaultLabels()`, checked as the `defaultLabels` option is. */
export function checkNewDefaultLabels(
  labels: unknown,
  maxValueLength: number,
): Readonly<Record<string, string>> {
  const owner = 'registry.setDefaultLabels()';
  if (labels === undefined) {
    throw invalidOption(
      owner,
      `defaultLabels should be an object of label names to strings, such as { service: 'api' }, got undefined; pass {} for none`,
    );
  }
  return checkConstantLabels(owner, 'defaultLabels', labels, maxValueLength);
}

/** A metric-name prefix: empty, or the start of a valid metric name (`'myapp_'`). */
export function checkPrefix(owner: string, field: string, value: unknown): string {
  const prefix = optionalString(owner, field, value, { allowEmpty: true }) ?? '';
  if (prefix !== '' && !METRIC_NAME_START.test(prefix)) {
    throw invalidOption(
      owner,
      `${field} should start a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), such as 'myapp_', got ${describeValue(prefix)}`,
    );
  }
  return prefix;
}

/**
 * Labels with a fixed value on every series (`defaultLabels`, `collectDefaultMetrics`'
 * `labels`), frozen: valid label names, none reserved, string values that fit in a series.
 */
export function checkConstantLabels(
  owner: string,
  field: string,
  labels: unknown,
  maxValueLength: number,
): Readonly<Record<string, string>> {
  if (labels === undefined) return Object.freeze({});
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw invalidOption(
      owner,
      `${field} should be an object of label names to strings, such as { service: 'api' }, got ${describeValue(labels)}`,
    );
  }
  for (const [name, value] of Object.entries(labels)) {
    assertLabelName(field, name);
    if (name.startsWith('__') || name === 'le' || name === 'quantile') {
      throw new ConfigurationError(
        'INVALID_LABEL_NAME',
        `${field}: label name '${name}' is reserved (by Prometheus, or by histograms and summaries); choose another name`,
      );
    }
    if (typeof value !== 'string') {
      throw invalidOption(
        owner,
        `${field}.${name} should be a string, got ${describeValue(value)}`,
      );
    }
    const problem =
      value.length > maxValueLength
        ? `is ${value.length} characters long, more than maxLabelValueLength (${maxValueLength})`
        : wellFormedProblem(value);
    if (problem !== undefined) throw invalidOption(owner, `${field}.${name} ${problem}`);
  }
  return Object.freeze({ ...(labels as Record<string, string>) });
}
