import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type OnError,
} from './background-errors.js';
import { type Clock, systemClock } from './clock.js';
import { ConfigurationError } from './errors.js';
import { assertLabelName } from './names.js';
import type { OnInvalid } from './observation-reporter.js';
import { describeValue } from './options/describe-value.js';
import {
  optionalChoice,
  optionalClock,
  optionalInteger,
  optionalOnError,
  optionalString,
} from './options/index.js';
import { checkOptionsObject } from './options/options-object.js';

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
  /** Wall clock in ms (creation times, summary windows); inject one in tests. Default `Date`. */
  clock?: Clock | undefined;
  /**
   * Where a failing `collect` callback is reported (the metric keeps its previous values).
   * Default: a `VigilWarning` once per metric.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface RegistryConfig {
  readonly prefix: string;
  readonly defaultLabels: Readonly<Record<string, string>>;
  readonly onInvalid: OnInvalid;
  readonly maxSeriesPerMetric: number;
  readonly clock: Clock;
  readonly reportError: BackgroundErrorReporter;
}

const OWNER = 'Registry';
const KEYS = ['defaultLabels', 'prefix', 'onInvalid', 'maxSeriesPerMetric', 'clock', 'onError'];

/** @internal Checks the options once, at construction. */
export function registryConfig(input: RegistryOptions | undefined): RegistryConfig {
  const options = checkOptionsObject(OWNER, input, KEYS) as RegistryOptions;
  return {
    prefix: optionalString(OWNER, 'prefix', options.prefix, { allowEmpty: true }) ?? '',
    defaultLabels: checkDefaultLabels(options.defaultLabels ?? {}),
    onInvalid: optionalChoice(OWNER, 'onInvalid', options.onInvalid, ['drop', 'throw']) ?? 'drop',
    maxSeriesPerMetric:
      optionalInteger(OWNER, 'maxSeriesPerMetric', options.maxSeriesPerMetric, { min: 1 }) ?? 2000,
    clock: optionalClock(OWNER, 'clock', options.clock) ?? systemClock,
    reportError: backgroundErrorReporter(OWNER, optionalOnError(OWNER, 'onError', options.onError)),
  };
}

function checkDefaultLabels(labels: unknown): Readonly<Record<string, string>> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: defaultLabels should be an object of label names to strings, got ${describeValue(labels)}`,
    );
  }
  for (const [name, value] of Object.entries(labels)) {
    assertLabelName('defaultLabels', name);
    if (name.startsWith('__') || name === 'le' || name === 'quantile') {
      throw new ConfigurationError(
        'INVALID_LABEL_NAME',
        `defaultLabels: label name '${name}' is reserved (by Prometheus, or by histograms and summaries); choose another name`,
      );
    }
    if (typeof value !== 'string') {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${OWNER}: defaultLabels.${name} should be a string, got ${describeValue(value)}`,
      );
    }
  }
  return Object.freeze({ ...(labels as Record<string, string>) });
}
