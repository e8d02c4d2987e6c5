export { getHealth, setHealth } from './global-health.js';
export { getHttpMetrics, setHttpMetrics } from './global-http-metrics.js';
export { getRegistry, setRegistry } from './global-registry.js';
export { type HealthProbe, type HealthRouteOptions, healthRoute } from './health-route.js';
export {
  type MetricsRouteOptions,
  type MonitoringRouteHandlers,
  metricsRoute,
} from './metrics-route.js';
export {
  type MonitoringCatchAllHandlers,
  type MonitoringRouteOptions,
  monitoringRoute,
} from './monitoring-route.js';
export { type RouteHandler, type WithVigilOptions, withVigil } from './with-vigil.js';
