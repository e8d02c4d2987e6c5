import { type OnError, Registry } from '@vigil/core';
import {
  checkOptionsObject,
  optionalChoice,
  optionalOnError,
  optionalRegistry,
} from '@vigil/core/options';
import type { OpenMetricsMode } from '@vigil/http';
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
  /**
   * When the route answers OpenMetrics rather than the Prometheus text format 0.0.4. Default
   * `'query'`: only for `?format=openmetrics` (Prometheus 2.x, which asks for OpenMetrics first,
   * would store every `_created` sample as a series of its own); `'negotiate'` follows `Accept`.
   */
  openMetrics?: OpenMetricsMode | undefined;
  /**
   * Called with an error rendering the metrics threw (the request is answered 500), with
   * `{ source: 'MonitoringRouter', operation: 'GET /metrics' }`; default: one `VigilWarning`
   * (`VIGIL_BACKGROUND_ERROR`).
   */
  onError?: OnError | undefined;
}

/** The handlers a monitoring route file exports: `export const { GET } = metricsRoute();`. */
export interface MonitoringRouteHandlers {
  /** Answers the route. */
  GET: (request: Request) => Promise<Response>;
  /** The same, headers only (Next.js also derives HEAD from GET on its own). */
  HEAD: (request: Request) => Promise<Response>;
}

const OPTIONS = ['registry', 'token', 'openMetrics', 'onError'] as const;
const OWNER = 'metricsRoute';

/**
 * Route handlers for `app/api/metrics/route.ts` that expose the registry in the Prometheus text
 * format 0.0.4, or OpenMetrics for `?format=openmetrics` (and by the `Accept` header with
 * `openMetrics: 'negotiate'`), with `Cache-Control: no-store`.
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
  const given = checkOptionsObject(OWNER, options, OPTIONS);
  const explicit = optionalRegistry<Registry>(OWNER, 'registry', given.registry);
  const endpoint = new MonitoringEndpoint(
    {
      path: '/metrics',
      resolve: () => ({ registry: explicit ?? getRegistry(), health: undefined }),
      token: given.token as string | undefined,
      healthOutputs: undefined,
      openMetrics: optionalChoice(OWNER, 'openMetrics', given.openMetrics, ['query', 'negotiate']),
      onError: optionalOnError(OWNER, 'onError', given.onError),
    },
    // Checks the options now, without creating the process-wide registry at build time.
    { registry: explicit ?? new Registry(), health: undefined },
  );
  const GET = (request: Request): Promise<Response> => endpoint.serve(request);
  return { GET, HEAD: GET };
}
