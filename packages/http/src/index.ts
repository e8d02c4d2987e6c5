export { MIN_TOKEN_LENGTH } from './bearer-auth.js';
export { acceptsGzip, negotiateFormat } from './content-negotiation.js';
export { HttpError, type HttpErrorCode } from './errors.js';
export { KNOWN_HTTP_METHODS, normalizeMethod, OTHER_METHOD } from './http-method.js';
export { HttpMetrics, OTHER_ROUTE } from './http-metrics.js';
export {
  HTTP_BODY_SIZE_BUCKETS,
  HTTP_DURATION_BUCKETS,
  type HttpMetricsOptions,
} from './http-metrics-options.js';
export {
  createMonitoringRouter,
  MonitoringRouter,
  type RouteHandler,
  type RouteMethod,
  type RouteOptions,
} from './monitoring-router.js';
export type { MonitoringRouterOptions } from './monitoring-router-options.js';
export type { PathPattern } from './path-filter.js';
export { RequestTiming } from './request-timing.js';
export type { RouteReply } from './route-reply.js';
export type { RouteRequest } from './route-request.js';
export type { RouteParams } from './route-table.js';
export {
  fetchWithServerTiming,
  runWithServerTiming,
  serverTimingHeader,
} from './server-timing.js';
