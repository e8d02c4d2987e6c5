import { VigilError } from '@vigil/core';

/**
 * Every stable error code thrown by `@vigil/prometheus`, besides core's `INVALID_OPTION` and
 * `INVALID_DURATION` (bad options) and `INVALID_VALUE` (`readSnapshot` of something that is not a
 * snapshot). Each one is explained in `docs/errors.md`.
 */
export const PROMETHEUS_ERROR_CODES = [
  'PUSHGATEWAY_FAILED',
  'REMOTE_WRITE_FAILED',
  'AGGREGATION_CLOSED',
] as const;

/** A stable error code thrown by `@vigil/prometheus`. */
export type PrometheusErrorCode = (typeof PROMETHEUS_ERROR_CODES)[number];

/**
 * A request to a server that failed: no answer, a timeout, or a status that is not 2xx. `status`
 * is the HTTP status when there was one.
 */
export class PushError extends VigilError {
  static override readonly brand = 'vigil.prometheus.PushError';
  declare readonly code: 'PUSHGATEWAY_FAILED' | 'REMOTE_WRITE_FAILED';
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Whether sending the same request again may succeed (5xx, 429, network errors). */
  readonly retryable: boolean;
  /** How long the server asked to wait before the next try (`Retry-After`), in ms. */
  readonly retryAfter: number | undefined;

  constructor(
    code: 'PUSHGATEWAY_FAILED' | 'REMOTE_WRITE_FAILED',
    message: string,
    details: {
      status?: number | undefined;
      retryable: boolean;
      retryAfter?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PushError';
    this.status = details.status;
    this.retryable = details.retryable;
    this.retryAfter = details.retryAfter;
  }
}

/** The aggregator was closed: it no longer asks workers. */
export class AggregationClosedError extends VigilError {
  static override readonly brand = 'vigil.prometheus.AggregationClosedError';
  declare readonly code: 'AGGREGATION_CLOSED';

  constructor(message: string) {
    super('AGGREGATION_CLOSED', message);
    this.name = 'AggregationClosedError';
  }
}
