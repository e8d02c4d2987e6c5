import type { HistogramSnapshot, Registry } from '@vigil/core';

/** One series of `http_server_request_duration_seconds`: its labels and request count. */
export interface RequestSeries {
  method: string;
  route: string;
  status: string;
  errorType: string;
  count: number;
}

/** The series of `http_server_request_duration_seconds`, as the registry's snapshot has them. */
export function requestSeries(registry: Registry): RequestSeries[] {
  const metric = registry
    .snapshot()
    .metrics.find((m) => m.name === 'http_server_request_duration_seconds') as
    | HistogramSnapshot
    | undefined;
  return (metric?.series ?? []).map((series) => ({
    method: series.labels.http_request_method ?? '',
    route: series.labels.http_route ?? '',
    status: series.labels.http_response_status_code ?? '',
    errorType: series.labels.error_type ?? '',
    count: series.count,
  }));
}

/** `http_server_active_requests` summed over methods. */
export function activeRequests(registry: Registry): number {
  const metric = registry.snapshot().metrics.find((m) => m.name === 'http_server_active_requests');
  if (metric?.type !== 'gauge') return Number.NaN;
  return metric.series.reduce((sum, series) => sum + series.value, 0);
}
