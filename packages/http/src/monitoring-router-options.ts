import type { OnError } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalBoolean,
  optionalChoice,
  optionalInteger,
  optionalOnError,
  required,
} from '@vigil/core/options';
import type { HealthMonitor } from '@vigil/health';
import { BearerAuth } from './bearer-auth.js';
import type { MetricsEndpointSource } from './metrics-endpoint.js';
import type { RouteProvider } from './route-definition.js';

/**
 * When `GET /metrics` answers OpenMetrics: `'query'` only for `?format=openmetrics`;
 * `'negotiate'` also when the `Accept` header prefers it (as Prometheus's does).
 */
export type OpenMetricsMode = 'query' | 'negotiate';

/**
 * Options of `createMonitoringRouter()`. Every optional field also takes `undefined` (its
 * default), so options can be passed through from configuration.
 */
export interface MonitoringRouterOptions {
  /**
   * What `GET /metrics` exposes: a `Registry`, or any `MetricsEndpointSource` (a cluster
   * aggregator of `@vigil/prometheus`).
   */
  registry: MetricsEndpointSource;
  /** The health monitor behind `/health…`; without one, the router does not serve those paths. */
  health?: HealthMonitor | undefined;
  /** Path the routes are mounted under, e.g. `'/_vigil'`; default `''`. */
  prefix?: string | undefined;
  /** Bearer token; without one, routes that change state are off (403). */
  token?: string | undefined;
  /** Require the token on the read-only routes too (needs `token`); default false. */
  protectReadEndpoints?: boolean | undefined;
  /**
   * Include the checks' `output` and `details` in health responses (error messages can name
   * hosts and ports); default true. Turn it off on an endpoint the public can reach.
   */
  healthOutputs?: boolean | undefined;
  /** Largest request body a route reads, in bytes; default 102,400. */
  maxBodyBytes?: number | undefined;
  /**
   * When `/metrics` answers OpenMetrics rather than the Prometheus text format 0.0.4. Default
   * `'query'`: only for `?format=openmetrics`, because Prometheus 2.x, which asks for OpenMetrics
   * first, then stores every counter's and histogram's `_created` sample as a series of its own.
   * `'negotiate'` follows the `Accept` header.
   */
  openMetrics?: OpenMetricsMode | undefined;
  /** Routes other packages contribute (alerts, jobs, cache): each provider once, by name. */
  routes?: readonly RouteProvider[] | undefined;
  /**
   * Called with what a route handler threw (the request is answered 500 `HTTP_INTERNAL_ERROR`
   * either way), with `{ source: 'MonitoringRouter', operation: 'GET /_vigil/metrics' }`: the
   * route as it was declared. Default: a `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) once per route.
   */
  onError?: OnError | undefined;
}

/** The names of `MonitoringRouterOptions`, for adapters that split their options. */
export const MONITORING_ROUTER_OPTIONS = [
  'registry',
  'health',
  'prefix',
  'token',
  'protectReadEndpoints',
  'healthOutputs',
  'maxBodyBytes',
  'openMetrics',
  'routes',
  'onError',
] as const satisfies readonly (keyof MonitoringRouterOptions)[];

/** @internal The options checked, with defaults. */
export interface RouterConfig {
  readonly registry: MetricsEndpointSource;
  readonly health: HealthMonitor | undefined;
  readonly prefix: string;
  readonly auth: BearerAuth | undefined;
  readonly protectReads: boolean;
  readonly healthOutputs: boolean;
  readonly maxBodyBytes: number;
  readonly openMetrics: OpenMetricsMode;
  readonly routes: readonly RouteProvider[];
  readonly onError: OnError | undefined;
}

const OWNER = 'createMonitoringRouter';

/**
 * @internal Checks the router's options once, at construction, with core's option checks.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the field and the bad value.
 */
export function routerConfig(options: MonitoringRouterOptions): RouterConfig {
  const given = checkOptionsObject(OWNER, options, MONITORING_ROUTER_OPTIONS, { required: true });
  const registry = required(
    OWNER,
    'registry',
    checkSource(given.registry),
    'a Registry from @vigil/core, such as new Registry()',
  );
  const token = given.token;
  const auth = token === undefined ? undefined : new BearerAuth(OWNER, token);
  const protectReads =
    optionalBoolean(OWNER, 'protectReadEndpoints', given.protectReadEndpoints) ?? false;
  if (protectReads && auth === undefined) {
    throw invalidOption(
      OWNER,
      'protectReadEndpoints needs a token; set token (e.g. from an environment variable) or drop protectReadEndpoints',
    );
  }
  return {
    registry,
    health: checkMonitor(given.health),
    prefix: checkPrefix(given.prefix ?? ''),
    auth,
    protectReads,
    healthOutputs: optionalBoolean(OWNER, 'healthOutputs', given.healthOutputs) ?? true,
    maxBodyBytes: optionalInteger(OWNER, 'maxBodyBytes', given.maxBodyBytes, { min: 1 }) ?? 102_400,
    openMetrics:
      optionalChoice(OWNER, 'openMetrics', given.openMetrics, ['query', 'negotiate']) ?? 'query',
    routes: checkProviders(given.routes),
    onError: optionalOnError(OWNER, 'onError', given.onError),
  };
}

function checkSource(registry: unknown): MetricsEndpointSource | undefined {
  if (registry === undefined) return undefined;
  if (!hasMethods(registry, ['metrics'])) {
    throw invalidOption(
      OWNER,
      `registry should be a Registry from @vigil/core (or a source with metrics({ format })), got ${describeValue(registry)}`,
    );
  }
  return registry as MetricsEndpointSource;
}

function checkMonitor(health: unknown): HealthMonitor | undefined {
  if (health === undefined) return undefined;
  if (!hasMethods(health, ['check', 'live', 'ready', 'started'])) {
    throw invalidOption(
      OWNER,
      `health should be a HealthMonitor from @vigil/health, got ${describeValue(health)}`,
    );
  }
  return health as HealthMonitor;
}

function checkPrefix(prefix: unknown): string {
  if (prefix === '' || prefix === '/') return '';
  if (
    typeof prefix !== 'string' ||
    !prefix.startsWith('/') ||
    prefix.includes('?') ||
    prefix.includes('#') ||
    prefix.includes('//')
  ) {
    throw invalidOption(
      OWNER,
      `prefix should be '' or a path such as '/_vigil', got ${describeValue(prefix)}`,
    );
  }
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

function checkProviders(routes: unknown): readonly RouteProvider[] {
  if (routes === undefined) return [];
  if (!Array.isArray(routes)) {
    throw invalidOption(
      OWNER,
      `routes should be an array of route providers ({ name, routes }), got ${describeValue(routes)}`,
    );
  }
  return routes as readonly RouteProvider[];
}
