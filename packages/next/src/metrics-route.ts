import { ConfigurationError, Registry } from '@vigil/core';
import type { RouteRequest } from '@vigil/http';
import { describeValue, hasMethods, rejectUnknownOptions } from './check-options.js';
import { getRegistry } from './global-registry.js';
import { MonitoringEndpoint } from './monitoring-endpoint.js';

/** Options of `metricsRoute()`. */
export interface MetricsRouteOptions {
  /** The registry to expose; default `getRegistry()`, looked up per request. */
  registry?: Registry | undefined;
  /**
   * Bearer token the scraper must send (`Authorization: Bearer <token>`, at least 16
   * characters); default none: the route is open. Read it from the environment.
   */
  token?: string | undefined;
  /** Called with an error rendering the metrics threw (answered 500); default: one warning. */
  onError?: ((error: unknown, request: RouteRequest) => void) | undefined;
}

/** The handlers a monitoring route file exports: `export const { GET } = metricsRoute();`. */
export interface MonitoringRouteHandlers {
  /** Answers the route. */
  GET: (request: Request) => Promise<Response>;
  /** The same, headers only (Next.js also derives HEAD from GET on its own). */
  HEAD: (request: Request) => Promise<Response>;
}

const OPTIONS = ['registry', 'token', 'onError'];

/**
 * Route handlers for `app/api/metrics/route.ts` that expose the registry in the Prometheus text
 * format or OpenMetrics (by the `Accept` header or `?format=prometheus|openmetrics`), gzipped
 * when the scraper accepts it, with `Cache-Control: no-store`.
 *
 * ```ts
 * export const { GET } = metricsRoute();
 * export const runtime = 'nodejs';
 * export const dynamic = 'force-dynamic';
 * ```
 *
 * @throws ConfigurationError `INVALID_OPTION` for bad options (a short token, a non-registry).
 */
export function metricsRoute(options: MetricsRouteOptions = {}): MonitoringRouteHandlers {
  rejectUnknownOptions('metricsRoute', options, OPTIONS);
  const explicit = options.registry;
  if (explicit !== undefined && !hasMethods(explicit, ['histogram', 'gauge', 'metrics'])) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `metricsRoute: registry should be a Registry from @vigil/core, got ${describeValue(explicit)}`,
    );
  }
  const endpoint = new MonitoringEndpoint(
    {
      path: '/metrics',
      resolve: () => ({ registry: explicit ?? getRegistry(), health: undefined }),
      token: options.token,
      healthOutputs: undefined,
      onError: options.onError,
    },
    // Checks the options now, without creating the process-wide registry at build time.
    { registry: explicit ?? new Registry(), health: undefined },
  );
  const GET = (request: Request): Promise<Response> => endpoint.serve(request);
  return { GET, HEAD: GET };
}
