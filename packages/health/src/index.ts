export type { CheckResult } from './check-result.js';
export type { BreakerLike, CircuitBreakerCheckOptions } from './checks/circuit-breaker.js';
export type { DiskSpaceCheckOptions } from './checks/disk-space.js';
export type { EventLoopCheckOptions, EventLoopHistogram } from './checks/event-loop.js';
export type { ExpectStatus, HttpCheckOptions } from './checks/http.js';
export type { HeapCheckOptions, RssCheckOptions } from './checks/memory.js';
export type {
  PostgresCheckOptions,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryable,
} from './checks/postgres.js';
export type { RedisCheckOptions, RedisPingable } from './checks/redis.js';
export { checks } from './checks.js';
export {
  HEALTH_ERROR_CODES,
  HealthCheckTimeoutError,
  HealthClosedError,
  type HealthErrorCode,
} from './errors.js';
export type {
  CheckOptions,
  CheckOutcome,
  CheckReturn,
  CheckStatus,
  HealthCheck,
  ObservedValue,
} from './health-check.js';
export type { HealthEvents, StatusChangeEvent } from './health-events.js';
export { CHECK_STATUS_VALUE, HEALTH_STATUS_VALUE } from './health-metrics.js';
export { type CheckCallOptions, HealthMonitor } from './health-monitor.js';
export type {
  HealthMonitorOptions,
  ReadinessMode,
  StartupMode,
} from './health-monitor-options.js';
export type { HealthReport, HealthStatus } from './health-report.js';
export type { ProbeKind, ProbeReport } from './probe-report.js';
export {
  HEALTH_JSON_CONTENT_TYPE,
  HEALTH_JSON_STATUS,
  type HealthJsonBody,
  type HealthJsonCheck,
  type HealthJsonResponse,
  type RenderHealthJsonOptions,
  renderHealthJson,
} from './render-health-json.js';
