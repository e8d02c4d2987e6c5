import { ConfigurationError } from '@vigil/core';
import { checkOptionsObject, describeValue } from '@vigil/core/options';
import type { HttpMetricsOptions, MonitoringRouterOptions } from '@vigil/http';

/**
 * Options of the `vigil` plugin: `app.register(vigil, { registry, health })`. Every optional
 * field but `prefix` (typed by Fastify's own register options) also takes `undefined`, so options
 * can be passed through from configuration.
 */
export interface VigilFastifyOptions {
  /** Where the request metrics are registered, and what `GET /metrics` exposes. */
  registry: HttpMetricsOptions['registry'];
  /** The health monitor behind `/health…`; without one, no health route is registered. */
  health?: MonitoringRouterOptions['health'];
  /**
   * Where the monitoring routes are mounted, e.g. `'/_vigil'`; default `''` (`/metrics`,
   * `/health`). Added to the prefix of the Fastify context the plugin is registered in.
   */
  prefix?: string;
  /** Register the monitoring routes; default true. `false`: request metrics only. */
  endpoints?: boolean | undefined;
  /** Bearer token; without one, routes that change state are off (403). */
  token?: MonitoringRouterOptions['token'];
  /** Require the token on `/metrics` and `/health…` too (needs `token`); default false. */
  protectReadEndpoints?: MonitoringRouterOptions['protectReadEndpoints'];
  /** Include the checks' `output` and `details` in health responses; default true. */
  healthOutputs?: MonitoringRouterOptions['healthOutputs'];
  /** Called with an error a monitoring route threw (answered 500); default: one warning per route. */
  onError?: MonitoringRouterOptions['onError'];
  /** Add a `Server-Timing` header from the request's `@vigil/timers` timers; default false. */
  serverTiming?: boolean | undefined;
  /** Duration buckets in seconds; default `HTTP_DURATION_BUCKETS` (5 ms … 10 s). */
  buckets?: HttpMetricsOptions['buckets'];
  /** `http_route` of requests that matched no route; default `''`. */
  unmatchedRoute?: HttpMetricsOptions['unmatchedRoute'];
  /** Paths not measured: a string excludes the path and below it; a RegExp is tested. */
  excludePaths?: HttpMetricsOptions['excludePaths'];
  /** Also record request and response body sizes (from `Content-Length`); default false. */
  bodySizes?: HttpMetricsOptions['bodySizes'];
  /** Body-size buckets in bytes; default `HTTP_BODY_SIZE_BUCKETS`. */
  bodySizeBuckets?: HttpMetricsOptions['bodySizeBuckets'];
  /** Distinct `http_route` values kept; later routes are recorded as `_OTHER`. Default 500. */
  maxRoutes?: HttpMetricsOptions['maxRoutes'];
  /** Methods recorded as themselves; others become `_OTHER`. Default `KNOWN_HTTP_METHODS`. */
  knownMethods?: HttpMetricsOptions['knownMethods'];
  /** Series limit of each request metric; default the registry's `maxSeriesPerMetric`. */
  maxSeries?: HttpMetricsOptions['maxSeries'];
}

/** @internal The plugin's options, split for `HttpMetrics` and the router, and checked. */
export interface PluginConfig {
  readonly metrics: HttpMetricsOptions;
  readonly router: MonitoringRouterOptions;
  readonly endpoints: boolean;
  readonly serverTiming: boolean;
}

const OWNER = '@vigil/fastify';
const OPTIONS = [
  'registry',
  'health',
  'prefix',
  'endpoints',
  'token',
  'protectReadEndpoints',
  'healthOutputs',
  'onError',
  'serverTiming',
  'buckets',
  'unmatchedRoute',
  'excludePaths',
  'bodySizes',
  'bodySizeBuckets',
  'maxRoutes',
  'knownMethods',
  'maxSeries',
];

/**
 * @internal Checks the plugin's own options (the rest are checked by `HttpMetrics` and
 * `createMonitoringRouter`) and splits them. `contextPrefix` is the route prefix of the Fastify
 * context the plugin runs in.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the field and the bad value.
 */
export function pluginConfig(options: VigilFastifyOptions, contextPrefix: string): PluginConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: options should be an object such as { registry }, got ${describeValue(options)}`,
    );
  }
  checkOptionsObject(OWNER, options, OPTIONS);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string' || (prefix !== '' && !prefix.startsWith('/'))) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: prefix should be '' or a path such as '/_vigil', got ${describeValue(prefix)}`,
    );
  }
  return {
    metrics: {
      registry: options.registry,
      buckets: options.buckets,
      unmatchedRoute: options.unmatchedRoute,
      excludePaths: options.excludePaths,
      bodySizes: options.bodySizes,
      bodySizeBuckets: options.bodySizeBuckets,
      maxRoutes: options.maxRoutes,
      knownMethods: options.knownMethods,
      maxSeries: options.maxSeries,
    },
    router: {
      registry: options.registry,
      health: options.health,
      prefix: contextPrefix + prefix,
      token: options.token,
      protectReadEndpoints: options.protectReadEndpoints,
      healthOutputs: options.healthOutputs,
      onError: options.onError,
    },
    endpoints: checkBoolean('endpoints', options.endpoints) ?? true,
    serverTiming: checkBoolean('serverTiming', options.serverTiming) ?? false,
  };
}

function checkBoolean(field: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: ${field} should be true or false, got ${describeValue(value)}`,
    );
  }
  return value;
}
