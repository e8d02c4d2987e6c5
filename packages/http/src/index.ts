export { MIN_TOKEN_LENGTH } from './bearer-auth.js';
export { acceptsGzip, negotiateFormat } from './content-negotiation.js';
export { errorType } from './error-type.js';
export { HTTP_ERROR_CODES, HttpError, type HttpErrorCode } from './errors.js';
export { KNOWN_HTTP_METHODS, normalizeMethod, OTHER_METHOD } from './http-method.js';
export { HttpMetrics, OTHER_ROUTE } from './http-metrics.js';
export {
  HTTP_BODY_SIZE_BUCKETS,
  HTTP_DURATION_BUCKETS,
  HTTP_METRICS_OPTIONS,
  type HttpMetricsOptions,
} from './http-metrics-options.js';
export type { MetricsEndpointSource } from './metrics-endpoint.js';
export {
  createMonitoringRouter,
  MonitoringRouter,
  type RouteOptions,
} from './monitoring-router.js';
export {
  MONITORING_ROUTER_OPTIONS,
  type MonitoringRouterOptions,
  type OpenMetricsMode,
} from './monitoring-router-options.js';
export type { PathPattern } from './path-filter.js';
export { type RequestTarget, splitTarget } from './request-target.js';
export { RequestTiming } from './request-timing.js';
export type {
  RouteDefinition,
  RouteHandler,
  RouteInfo,
  RouteMethod,
  RouteProvider,
} from './route-definition.js';
export type { RouteReply } from './route-reply.js';
export type { RouteRequest } from './route-request.js';
export type { RouteParams } from './route-table.js';
export {
  fetchWithServerTiming,
  runWithServerTiming,
  serverTimingHeader,
} from './server-timing.js';
