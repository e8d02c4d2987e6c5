import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalBoolean,
} from '@vigil/core/options';
import { fetchWithServerTiming, type HttpMetrics } from '@vigil/http';
import { getHttpMetrics } from './global-http-metrics.js';
import { thrownOutcome } from './thrown-outcome.js';

/** Options of `withVigil()`. */
export interface WithVigilOptions {
  /**
   * The route template, as Next.js writes it for the route's folder under `app/`:
   * `'/api/users/[id]'`, `'/api/files/[...path]'` (route groups `(…)` left out). Route handlers
   * are not told their file path at run time, so it is given here; it becomes `http_route`.
   */
  route: string;
  /** The request metrics to record into; default `getHttpMetrics()`, looked up per request. */
  metrics?: HttpMetrics | undefined;
  /**
   * Add a `Server-Timing` header from the `@vigil/timers` timers stopped during the handler;
   * default false (the header is visible to clients).
   */
  serverTiming?: boolean | undefined;
}

/** A Next.js route handler: `(request, context) => Response`. */
export type RouteHandler<R extends Request = Request, C extends unknown[] = []> = (
  request: R,
  ...context: C
) => Response | Promise<Response>;

const OPTIONS = ['route', 'metrics', 'serverTiming'] as const;

/**
 * Wraps a Next.js App Router route handler so that each request is recorded in
 * `http_server_request_duration_seconds` with its method, `route` and status code. An error the
 * handler throws is recorded as a 500 with `error_type` set to the error's name, then rethrown so
 * that Next.js answers it as usual; `redirect()` and `notFound()` are recorded with the status
 * Next.js answers them with. The duration runs until the handler returns its `Response` (a
 * streamed body may go on after that).
 *
 * ```ts
 * export const GET = withVigil(async (request, { params }) => …, { route: '/api/users/[id]' });
 * ```
 *
 * @throws ConfigurationError `INVALID_OPTION` for a handler that is not a function or bad options.
 */
export function withVigil<R extends Request = Request, C extends unknown[] = []>(
  handler: RouteHandler<R, C>,
  options: WithVigilOptions,
): (request: R, ...context: C) => Promise<Response> {
  const owner = 'withVigil';
  if (typeof handler !== 'function') {
    throw invalidOption(
      owner,
      `handler should be a route handler function, got ${describeValue(handler)}`,
    );
  }
  const given = checkOptionsObject(owner, options, OPTIONS, { required: true });
  const route = checkRoute(given.route);
  const explicit = given.metrics as HttpMetrics | undefined;
  if (explicit !== undefined && !hasMethods(explicit, ['start', 'end'])) {
    throw invalidOption(
      owner,
      `metrics should be an HttpMetrics from @vigil/http, got ${describeValue(explicit)}`,
    );
  }
  const serverTiming = optionalBoolean(owner, 'serverTiming', given.serverTiming) ?? false;

  return async function vigilRouteHandler(request: R, ...context: C): Promise<Response> {
    const metrics = explicit ?? getHttpMetrics();
    const method = (request as { method?: unknown } | undefined)?.method;
    const timing = metrics.start(typeof method === 'string' ? method : 'GET');
    let response: Response;
    try {
      response = await (serverTiming
        ? fetchWithServerTiming(() => handler(request, ...context))
        : handler(request, ...context));
    } catch (error) {
      const outcome = thrownOutcome(error);
      if (outcome.errorType === undefined) metrics.end(timing, route, outcome.status);
      else metrics.end(timing, route, outcome.status, outcome.errorType);
      throw error;
    }
    // Not a Response: Next.js answers 500 ("No response is returned from route handler").
    const status = (response as { status?: unknown } | undefined)?.status;
    metrics.end(timing, route, typeof status === 'number' ? status : 500);
    return response;
  };
}

function checkRoute(route: unknown): string {
  if (
    typeof route !== 'string' ||
    !route.startsWith('/') ||
    route.includes('?') ||
    route.includes('#') ||
    route.includes('//')
  ) {
    throw invalidOption(
      'withVigil',
      `route should be the route's template as Next.js writes it, such as '/api/users/[id]', got ${describeValue(route)}`,
    );
  }
  return route;
}
