export * from './cluster/index.js';
export {
  AggregationClosedError,
  PROMETHEUS_ERROR_CODES,
  type PrometheusErrorCode,
  PushError,
} from './errors.js';
export type { MetricsSource } from './metrics-source.js';
export * from './pushgateway/index.js';
export * from './remote-write/index.js';
export { type MetricsServer, type ServeMetricsOptions, serveMetrics } from './serve-metrics.js';
