import { VigilError } from '@vigil/core';

/**
 * Every stable error code of `@vigil/otel`, besides core's `INVALID_OPTION` and `INVALID_DURATION`
 * (bad options, thrown at construction). Both are background failures of `VigilMetricReader`: they
 * go to its `onError` (default: one `VigilWarning` per kind), once per metric, never into the host.
 * (A family named like a Vigil metric is core's `METRIC_CONFLICT`, reported by the registry.)
 * Each one is explained in `docs/errors.md`.
 */
export const OTEL_ERROR_CODES = ['OTEL_METRIC_CONFLICT', 'OTEL_UNSUPPORTED_METRIC'] as const;

/** A stable error code of `@vigil/otel`. */
export type OtelErrorCode = (typeof OTEL_ERROR_CODES)[number];

/**
 * Two OpenTelemetry metrics with one Prometheus name (from different scopes, or names that only
 * differ by characters Prometheus replaces) but of different types or histogram buckets, so they
 * cannot make one family; or an OpenTelemetry metric named `target_info`. The later one is left
 * off `/metrics`. (A name taken by a Vigil metric is core's `METRIC_CONFLICT`, which the registry
 * reports.)
 */
export class OtelMetricConflictError extends VigilError {
  static override readonly brand = 'vigil.otel.OtelMetricConflictError';
  declare readonly code: 'OTEL_METRIC_CONFLICT';
  /** The Prometheus name both claim. */
  readonly metric: string;

  constructor(metric: string, message: string) {
    super('OTEL_METRIC_CONFLICT', message);
    this.name = 'OtelMetricConflictError';
    this.metric = metric;
  }
}

/**
 * An OpenTelemetry metric the Prometheus text format cannot carry: an exponential histogram
 * (select explicit buckets with a View). It is left off `/metrics`.
 */
export class OtelUnsupportedMetricError extends VigilError {
  static override readonly brand = 'vigil.otel.OtelUnsupportedMetricError';
  declare readonly code: 'OTEL_UNSUPPORTED_METRIC';
  /** The OpenTelemetry name of the metric. */
  readonly metric: string;

  constructor(metric: string, message: string) {
    super('OTEL_UNSUPPORTED_METRIC', message);
    this.name = 'OtelUnsupportedMetricError';
    this.metric = metric;
  }
}
