import type { MonitoringRouterOptions } from '@vigil/http';

/**
 * A `HealthMonitor` from `@vigil/health` (the type as `@vigil/http` takes it, so that this
 * package needs `@vigil/health` only in the app that creates the monitor).
 */
export type HealthMonitor = NonNullable<MonitoringRouterOptions['health']>;
