import { type OnError, Registry } from '@vigil/core';
import { checkOptionsObject, describeValue, hasMethods, invalidOption } from '@vigil/core/options';
import {
  createMonitoringRouter,
  type MonitoringRouter,
  type MonitoringRouterOptions,
  type OpenMetricsMode,
  type RouteProvider,
  splitTarget,
} from '@vigil/http';
import { getHealth } from './global-health.js';
import { getRegistry } from './global-registry.js';
import type { HealthMonitor } from './health-monitor.js';

/**
 * Options of `monitoringRoute()`: those of `@vigil/http`'s `createMonitoringRouter`, with the
 * registry and the health monitor looked up per request when they are left out. Every optional
 * field also takes `undefined`.
 */
export interface MonitoringRouteOptions {
  /**
   * The path of the catch-all route's folder under `app/`, which the router's routes sit below:
   * `'/api/vigil'` for `app/api/vigil/[...path]/route.ts`.
   */
  prefix: string;
  /** The registry `/metrics` exposes; default `getRegistry()`, looked up per request. */
  registry?: Registry | undefined;
  /** The monitor behind `/health…`; default `getHealth()` (no health routes while there is none). */
  health?: HealthMonitor | undefined;
  /** Routes other packages contribute (alerts, jobs, cache): `routes: [provider]`. */
  routes?: readonly RouteProvider[] | undefined;
  /** Bearer token; without one, the routes that change state are off (403). */
  token?: string | undefined;
  /** Require the token on the read-only routes too (needs `token`); default false. */
  protectReadEndpoints?: boolean | undefined;
  /** Include the checks' `output` and `details` in health answers; default true. */
  healthOutputs?: boolean | undefined;
  /** Largest request body a route reads, in bytes; default 102,400. */
  maxBodyBytes?: number | undefined;
  /** When `/metrics` answers OpenMetrics: `'query'` (default) or `'negotiate'`. */
  openMetrics?: OpenMetricsMode | undefined;
  /** Called with what a route threw (answered 500), with `{ source, operation }`. */
  onError?: OnError | undefined;
}

/** The handlers a catch-all route file exports, one per method the monitoring routes take. */
export interface MonitoringCatchAllHandlers {
  GET: (request: Request) => Promise<Response>;
  HEAD: (request: Request) => Promise<Response>;
  POST: (request: Request) => Promise<Response>;
  PUT: (request: Request) => Promise<Response>;
  PATCH: (request: Request) => Promise<Response>;
  DELETE: (request: Request) => Promise<Response>;
}

const OWNER = 'monitoringRoute';
const OPTIONS = [
  'prefix',
  'registry',
  'health',
  'routes',
  'token',
  'protectReadEndpoints',
  'healthOutputs',
  'maxBodyBytes',
  'openMetrics',
  'onError',
] as const satisfies readonly (keyof MonitoringRouteOptions)[];

/**
 * Handlers for a catch-all route, `app/api/vigil/[...path]/route.ts`, that serve the whole
 * monitoring router of `@vigil/http` below it: `/metrics`, the `/health…` routes, and every route
 * of the route providers, as `createMonitoringRouter()` does for `node:http`. A package that
 * contributes admin routes (alerts, jobs, cache) is served here with no option of its own.
 *
 * ```ts
 * export const { GET, HEAD, POST, PUT, PATCH, DELETE } = monitoringRoute({
 *   prefix: '/api/vigil',
 *   routes: [jobs.routes()],
 *   token: process.env.VIGIL_TOKEN,
 * });
 * export const runtime = 'nodejs';
 * export const dynamic = 'force-dynamic';
 * ```
 *
 * A path below `prefix` that is not one of the router's answers 404 `HTTP_NOT_FOUND`.
 *
 * @throws ConfigurationError `INVALID_OPTION` for a bad option (those of `createMonitoringRouter`).
 */
export function monitoringRoute(options: MonitoringRouteOptions): MonitoringCatchAllHandlers {
  const given = checkOptionsObject(OWNER, options, OPTIONS, { required: true });
  const explicitRegistry = given.registry as Registry | undefined;
  const explicitHealth = given.health as HealthMonitor | undefined;
  if (explicitHealth !== undefined && !hasMethods(explicitHealth, ['check', 'live', 'ready'])) {
    throw invalidOption(
      OWNER,
      `health should be a HealthMonitor from @vigil/health, got ${describeValue(explicitHealth)}`,
    );
  }
  if (typeof given.prefix !== 'string' || given.prefix === '' || given.prefix === '/') {
    throw invalidOption(
      OWNER,
      `prefix should be the catch-all route's folder, such as '/api/vigil', got ${describeValue(given.prefix)}`,
    );
  }
  const build = (registry: Registry, health: HealthMonitor | undefined): MonitoringRouter =>
    createMonitoringRouter({ ...given, registry, health } as MonitoringRouterOptions);
  // Checks every option now (route providers included), without creating the process-wide
  // registry at build time.
  let registry = explicitRegistry ?? new Registry();
  let health = explicitHealth;
  let router = build(registry, health);

  const serve = async (request: Request): Promise<Response> => {
    const nextRegistry = explicitRegistry ?? getRegistry();
    const nextHealth = explicitHealth ?? getHealth();
    if (nextRegistry !== registry || nextHealth !== health) {
      registry = nextRegistry;
      health = nextHealth;
      router = build(registry, health);
    }
    // Next.js compresses responses itself and drops a handler's Content-Encoding: a body the
    // router gzipped would reach the client gzipped twice.
    const headers = new Headers(request.headers);
    headers.delete('accept-encoding');
    const { path, search } = splitTarget(request.url);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
    const inner = new Request(`${path}${search}`, {
      method: request.method,
      headers,
      body: hasBody ? request.body : null,
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
    return (await router.fetch(inner)) ?? notFound(new URL(inner.url).pathname);
  };
  return { GET: serve, HEAD: serve, POST: serve, PUT: serve, PATCH: serve, DELETE: serve };
}

function notFound(path: string): Response {
  return Response.json(
    {
      code: 'HTTP_NOT_FOUND',
      message: `no monitoring route for ${path}; router.routes() lists the routes`,
    },
    { status: 404, headers: { 'cache-control': 'no-store' } },
  );
}
