import { VigilError } from '@vigil/core';

/**
 * Every stable error code of `@vigil/otel`, besides core's `INVALID_OPTION` and `INVALID_DURATION`
 * (bad options, thrown at construction). Both are background failures of `VigilMetricReader`: they
 * go to its `onError` (default: one `VigilWarning` per kind), never into the host. Each one is
 * explained in `docs/errors.md`.
 */
export const OTEL_ERROR_CODES = ['OTEL_METRIC_CONFLICT', 'OTEL_UNSUPPORTED_METRIC'] as const;

/** A stable error code of `@vigil/otel`. */
export type OtelErrorCode = (typeof OTEL_ERROR_CODES)[number];

/**
 * An OpenTelemetry metric whose Prometheus name is already taken: by a Vigil metric of the
 * registry, or by another OpenTelemetry metric of another type or with other histogram buckets.
 * The OpenTelemetry metric is left off `/metrics`; the Vigil metric is untouched.
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
 * An OpenTelemetry metric the Prometheus exposition cannot carry as it is: an exponential
 * histogram (select explicit buckets with a View), or a histogram without bucket boundaries. It is
 * left off `/metrics`.
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
