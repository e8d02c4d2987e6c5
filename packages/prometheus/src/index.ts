export type { MismatchReason } from './cluster/accumulator.js';
export type { LeftOutReason } from './cluster/aggregation-metrics.js';
export type { AggregatorOptions } from './cluster/aggregator-options.js';
export type { MetricsExposure, SnapshotSource } from './cluster/answer-requests.js';
export { ClusterAggregator, type ClusterAggregatorOptions } from './cluster/cluster-aggregator.js';
export {
  type ExposeClusterMetricsOptions,
  exposeClusterMetrics,
} from './cluster/expose-cluster-metrics.js';
export {
  type ExposeWorkerMetricsOptions,
  exposeWorkerMetrics,
} from './cluster/expose-worker-metrics.js';
export {
  DEFAULT_GAUGE_POLICIES,
  GAUGE_POLICIES,
  type GaugePolicies,
  type GaugePolicy,
} from './cluster/gauge-policy.js';
export {
  type MergeOptions,
  type MergeResult,
  type MetricMismatch,
  mergeSnapshots,
  type WorkerSnapshot,
} from './cluster/merge-snapshots.js';
export {
  AGGREGATION_PROTOCOL_VERSION,
  AGGREGATION_REQUEST_TAG,
  AGGREGATION_RESPONSE_TAG,
  type SnapshotRequest,
  type SnapshotResponse,
} from './cluster/messages.js';
export { MetricsAggregator } from './cluster/metrics-aggregator.js';
export { readSnapshot } from './cluster/read-snapshot.js';
export {
  type AggregatedWorker,
  WorkerThreadsAggregator,
  type WorkerThreadsAggregatorOptions,
} from './cluster/worker-threads-aggregator.js';
export {
  AggregationClosedError,
  PROMETHEUS_ERROR_CODES,
  type PrometheusErrorCode,
  PushError,
} from './errors.js';
export type { MetricsSource } from './metrics-source.js';
export type { GroupingLabels } from './pushgateway/grouping-path.js';
export { PROTOBUF_CONTENT_TYPE } from './pushgateway/metric-family-protobuf.js';
export {
  PeriodicPusher,
  type PeriodicPusherCloseResult,
  type PeriodicPusherStats,
} from './pushgateway/periodic-pusher.js';
export type { PeriodicPusherOptions } from './pushgateway/periodic-pusher-options.js';
export { type PushGroup, Pushgateway } from './pushgateway/pushgateway.js';
export type { PushFormat, PushgatewayOptions } from './pushgateway/pushgateway-options.js';
export { type ClassicSeriesOptions, classicSeries } from './remote-write/classic-series.js';
export type { RemoteWriteRetryOptions } from './remote-write/remote-write-retry-options.js';
export { type RemoteWriteResult, RemoteWriter } from './remote-write/remote-writer.js';
export {
  REMOTE_WRITE_USER_AGENT,
  type RemoteWriterOptions,
} from './remote-write/remote-writer-options.js';
export type {
  RemoteWriteLabel,
  RemoteWriteSample,
  RemoteWriteTimeSeries,
  WriteRequest,
} from './remote-write/write-request.js';
export { decodeWriteRequest, encodeWriteRequest } from './remote-write/write-request-codec.js';
export type { BasicAuth } from './request-headers.js';
export { type MetricsServer, type ServeMetricsOptions, serveMetrics } from './serve-metrics.js';
