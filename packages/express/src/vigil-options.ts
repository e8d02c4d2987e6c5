import type { IncomingMessage } from 'node:http';
import { ConfigurationError } from '@vigil/core';
import type { HttpMetricsOptions, MonitoringRouterOptions } from '@vigil/http';

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
 * (one `registry` for both), plus `serverTiming` and `route`.
 */
export interface VigilOptions extends HttpMetricsOptions, MonitoringRouterOptions {
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

const METRICS_KEYS = [
  'buckets',
  'unmatchedRoute',
  'excludePaths',
  'bodySizes',
  'bodySizeBuckets',
  'maxRoutes',
  'knownMethods',
  'maxSeries',
] as const;
const ROUTER_KEYS = [
  'health',
  'prefix',
  'token',
  'protectReadEndpoints',
  'healthOutputs',
  'maxBodyBytes',
  'onError',
] as const;
const OWN_KEYS = ['registry', 'serverTiming', 'route'];
const KNOWN: readonly string[] = [...OWN_KEYS, ...METRICS_KEYS, ...ROUTER_KEYS];

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
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`options should be an object such as { registry }, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      throw invalid(`unknown option '${key}'; the options are ${KNOWN.join(', ')}`);
    }
  }
  const { serverTiming = false, route } = options;
  if (typeof serverTiming !== 'boolean') {
    throw invalid(`serverTiming should be true or false, got ${describe(serverTiming)}`);
  }
  if (route !== undefined && typeof route !== 'function') {
    throw invalid(`route should be a function (req) => string | undefined, got ${describe(route)}`);
  }
  return {
    metrics: pick(options, METRICS_KEYS, { registry: options.registry }),
    router: pick(options, ROUTER_KEYS, { registry: options.registry }),
    serverTiming,
    route,
  };
}

function pick<T extends object>(options: VigilOptions, keys: readonly string[], into: T): T {
  const source = options as unknown as Record<string, unknown>;
  const target = into as Record<string, unknown>;
  for (const key of keys) if (key in source) target[key] = source[key];
  return into;
}

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', `vigil: ${message}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
