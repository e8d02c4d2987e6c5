import type { IncomingHttpHeaders } from 'node:http';
import { type MonitoringRouter, type RouteInfo, splitTarget } from '@vigil/http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

/**
 * @internal Whether a request target is one of the monitoring routes, which the request-metrics
 * hooks skip (scrapes and probes are not traffic). It is the router's own check, so the path ends
 * where it does for the router and every other adapter (at the first `?` or `#`); a variant that
 * Fastify's `ignoreTrailingSlash` or `caseSensitive: false` routes to them is measured.
 */
export type MonitoringFilter = (url: string) => boolean;

/** @internal The filter for `router`, or one that matches nothing when no route is registered. */
export function monitoringFilter(router: MonitoringRouter, endpoints: boolean): MonitoringFilter {
  return endpoints ? (url) => router.matches(url) : () => false;
}

/**
 * @internal Registers every route of the router (`router.routes()`: `/metrics`, the `/health…`
 * routes with a health monitor, and the routes of route providers) as Fastify routes, `GET` ones
 * also for `HEAD`. Each answers through the router's fetch API with a `Request` for the route's
 * own path (its parameters filled in from Fastify's), so the router sees the path it serves
 * whatever Fastify's URL options (trailing slashes, case), and the answer goes out through
 * `reply.send()`, so Fastify's `onSend` hooks, logging and `onResponse` run as for any route.
 *
 * The routes live in a context of their own whose one content-type parser keeps bodies as bytes:
 * the router reads and checks a body itself (`maxBodyBytes`, `HTTP_INVALID_JSON`), and the app's
 * parsers stay untouched.
 */
export function addMonitoringRoutes(fastify: FastifyInstance, router: MonitoringRouter): void {
  const routes = router.routes();
  if (routes.length === 0) return;
  // The paths include the prefix of the context the plugin runs in, which Fastify adds to every
  // route registered here.
  const contextPrefix = fastify.prefix;
  fastify.register(async function vigilMonitoringRoutes(child: FastifyInstance) {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });
    for (const route of routes) {
      const method: HTTPMethods[] = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
      child.route({
        method,
        url: route.path.slice(contextPrefix.length),
        handler: monitoringHandler(router, route),
      });
    }
  });
}

function monitoringHandler(router: MonitoringRouter, route: RouteInfo) {
  return async function serveMonitoring(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { search } = splitTarget(request.raw.url ?? '');
    const path = fillParams(route.path, request.params as Record<string, string> | undefined);
    const body = request.body;
    // A HEAD request is sent as GET: Node leaves the body out and keeps its Content-Length.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const response = await router.fetch(
      new Request(`http://vigil.invalid${path}${search}`, {
        method,
        headers: toHeaders(request.headers),
        body: method === 'GET' || !Buffer.isBuffer(body) ? null : body,
      }),
    );
    if (response === undefined) throw new Error(`the monitoring router does not serve ${path}`);
    reply.code(response.status);
    response.headers.forEach((value, name) => {
      reply.header(name, value);
    });
    return reply.send(Buffer.from(await response.arrayBuffer()));
  };
}

/** `/alerts/:id/ack` with `{ id: 'a b' }` → `/alerts/a%20b/ack`. */
function fillParams(path: string, params: Record<string, string> | undefined): string {
  if (params === undefined || !path.includes(':')) return path;
  return path.replace(/:([^/]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** The request's headers for the router; the body is re-framed, so its framing headers go. */
function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || name === 'content-length' || name === 'transfer-encoding') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}
