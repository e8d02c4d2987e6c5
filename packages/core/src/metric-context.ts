import { invalidOption } from './options/invalid-option.js';

/** Why an observation was rejected; the `reason` label of `vigil_invalid_observations_total`. */
export type InvalidReason =
  | 'labels_mismatch'
  | 'label_value_too_long'
  | 'invalid_label_value'
  | 'invalid_exemplar'
  | 'negative_value'
  | 'not_a_number'
  | 'not_finite';

/** What a metric needs from its registry. Internal: metrics are made only by a `Registry`. */
export interface MetricContext {
  /** Reports a rejected observation: throws under `onInvalid: 'throw'`, counts it otherwise. */
  reportInvalid(
    metric: string,
    code: 'INVALID_VALUE' | 'LABELS_MISMATCH',
    reason: InvalidReason,
    message: string,
  ): void;
  /** Reports an observation sent to the overflow series because of the cardinality limit. */
  reportOverflow(metric: string, limit: number): void;
  /** Wall-clock milliseconds since the epoch (injected in tests). */
  now(): number;
  /** The longest label value a new series may have, in UTF-16 code units. */
  readonly maxLabelValueLength: number;
}

/**
 * Whether `value` is a `MetricContext`: what tells a metric made by a registry from one
 * constructed directly with an options object (`new Counter({ name, help })`, prom-client style).
 */
export function isMetricContext(value: unknown): value is MetricContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MetricContext).reportInvalid === 'function' &&
    typeof (value as MetricContext).now === 'function'
  );
}

/** What `new Counter({ name, help })` throws: metrics are made by a registry. */
export function constructedDirectly(className: string): Error {
  const method = className.toLowerCase();
  return invalidOption(
    `new ${className}()`,
    `metrics are made by a registry, not with new: use registry.${method}({ name, help, … }) on a new Registry(), which also exposes it. Porting prom-client code? Replace new ${className}({ … }) with registry.${method}({ … }); a drop-in @vigil/prom-client is planned.`,
  );
}
