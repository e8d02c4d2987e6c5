import type { IncomingMessage } from 'node:http';
import type { Registry } from '@vigil/core';
import {
  checkOptionsObject,
  optionalBoolean,
  optionalFunction,
  optionalRegistry,
  required,
} from '@vigil/core/options';
import {
  HTTP_METRICS_OPTIONS,
  type HttpMetricsOptions,
  MONITORING_ROUTER_OPTIONS,
  type MonitoringRouterOptions,
} from '@vigil/http';

/**
 * Computes a request's route template from the request and the template Vigil read from Express
 * (undefined when no route matched). Declared as a method so that a function taking Express's
 * `Request` (which extends `IncomingMessage`) is accepted.
 */
export type RouteOf = {
  bivariance(req: IncomingMessage, template: string | undefined): string | undefined;
}['bivariance'];

/**
 * Options of `vigil()`: those of `@vigil/http`'s `HttpMetrics` and `createMonitoringRouter`
 * (one `registry` for both: a `Registry`, which the request metrics need), plus `serverTiming`
 * and `route`.
 */
export interface VigilOptions
  extends HttpMetricsOptions,
    Omit<MonitoringRouterOptions, 'registry'> {
  /**
   * Set a `Server-Timing` header from the `@vigil/timers` timers that stopped while the request
   * was handled (`db;dur=12.3`); default false. Clients see it: turn it on where timings may be
   * public.
   */
  serverTiming?: boolean | undefined;
  /**
   * Rewrites the route template, called when the response closes with the request and the
   * template Vigil read (`req.baseUrl` + `req.route.path` as they were when the route matched;
   * undefined for no route); return undefined for "no route". Give it when a mount path has
   * parameters (`app.use('/t/:tenant', router)`): `req.baseUrl` holds their values.
   */
  route?: RouteOf | undefined;
}

const OWNER = 'vigil';
const OWN_KEYS = ['serverTiming', 'route'] as const;
const KNOWN: readonly string[] = [
  ...new Set<string>([...MONITORING_ROUTER_OPTIONS, ...HTTP_METRICS_OPTIONS, ...OWN_KEYS]),
];
const METRICS_KEYS = HTTP_METRICS_OPTIONS.filter((key) => key !== 'registry');
const ROUTER_KEYS = MONITORING_ROUTER_OPTIONS.filter((key) => key !== 'registry');

/** @internal `vigil()`'s options split for `HttpMetrics` and `createMonitoringRouter`. */
export interface VigilConfig {
  readonly metrics: HttpMetricsOptions;
  readonly router: MonitoringRouterOptions;
  readonly serverTiming: boolean;
  readonly route: RouteOf | undefined;
}

/**
 * @internal Checks `vigil()`'s own options and splits the rest; `HttpMetrics` and the router
 * check theirs when they are built.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the field and the bad value.
 */
export function vigilConfig(options: VigilOptions): VigilConfig {
  const given = checkOptionsObject(OWNER, options, KNOWN, { required: true });
  const registry = required(
    OWNER,
    'registry',
    optionalRegistry<Registry>(OWNER, 'registry', given.registry),
    'a Registry from @vigil/core, such as new Registry()',
  );
  return {
    metrics: pick(given, METRICS_KEYS, { registry }),
    router: pick(given, ROUTER_KEYS, { registry }),
    serverTiming: optionalBoolean(OWNER, 'serverTiming', given.serverTiming) ?? false,
    route: optionalFunction<RouteOf>(OWNER, 'route', given.route),
  };
}

function pick<T extends object>(
  given: Readonly<Record<string, unknown>>,
  keys: readonly string[],
  into: T,
): T {
  const target = into as Record<string, unknown>;
  for (const key of keys) if (key in given) target[key] = given[key];
  return into;
}
