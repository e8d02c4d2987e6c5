import type { Registry } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalBoolean,
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
  /**
   * Called with an error a monitoring route threw (answered 500), with
   * `{ source: 'MonitoringRouter', operation: 'GET /_vigil/metrics' }`; default: one
   * `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) per route.
   */
  onError?: MonitoringRouterOptions['onError'];
  /**
   * When `/metrics` answers OpenMetrics: `'query'` (default) only for `?format=openmetrics`,
   * `'negotiate'` also by the `Accept` header.
   */
  openMetrics?: MonitoringRouterOptions['openMetrics'];
  /**
   * Routes other packages contribute (alerts, jobs, cache), registered as Fastify routes under
   * `prefix` next to `/metrics`: `routes: [provider]`.
   */
  routes?: MonitoringRouterOptions['routes'];
  /** Largest request body a monitoring route reads, in bytes; default 102,400. */
  maxBodyBytes?: MonitoringRouterOptions['maxBodyBytes'];
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
const OWN_OPTIONS = ['prefix', 'endpoints', 'serverTiming'] as const;
const OPTIONS: readonly string[] = [
  ...new Set<string>([...MONITORING_ROUTER_OPTIONS, ...HTTP_METRICS_OPTIONS, ...OWN_OPTIONS]),
];
const METRICS_KEYS = HTTP_METRICS_OPTIONS.filter((key) => key !== 'registry');
const ROUTER_KEYS = MONITORING_ROUTER_OPTIONS.filter(
  (key) => key !== 'registry' && key !== 'prefix',
);

/**
 * @internal Checks the plugin's own options (the rest are checked by `HttpMetrics` and
 * `createMonitoringRouter`) and splits them. `contextPrefix` is the route prefix of the Fastify
 * context the plugin runs in.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the field and the bad value.
 */
export function pluginConfig(options: VigilFastifyOptions, contextPrefix: string): PluginConfig {
  const given = checkOptionsObject(OWNER, options, OPTIONS, { required: true });
  const registry = required(
    OWNER,
    'registry',
    optionalRegistry<Registry>(OWNER, 'registry', given.registry),
    'a Registry from @vigil/core, such as new Registry()',
  );
  const prefix = given.prefix ?? '';
  if (typeof prefix !== 'string' || (prefix !== '' && !prefix.startsWith('/'))) {
    throw invalidOption(
      OWNER,
      `prefix should be '' or a path such as '/_vigil', got ${describeValue(prefix)}`,
    );
  }
  const metrics: Record<string, unknown> = { registry };
  for (const key of METRICS_KEYS) if (key in given) metrics[key] = given[key];
  const router: Record<string, unknown> = { registry, prefix: contextPrefix + prefix };
  for (const key of ROUTER_KEYS) if (key in given) router[key] = given[key];
  return {
    metrics: metrics as unknown as HttpMetricsOptions,
    router: router as unknown as MonitoringRouterOptions,
    endpoints: optionalBoolean(OWNER, 'endpoints', given.endpoints) ?? true,
    serverTiming: optionalBoolean(OWNER, 'serverTiming', given.serverTiming) ?? false,
  };
}
