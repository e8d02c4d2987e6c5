export * from './cluster/index.js';
export {
  AggregationClosedError,
  PROMETHEUS_ERROR_CODES,
  type PrometheusErrorCode,
  PushError,
} from './errors.js';
export * from './pushgateway/index.js';
export * from './remote-write/index.js';
