import type { IncomingHttpHeaders } from 'node:http';
import type { MonitoringRouter } from '@vigil/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const METRICS_PATHS = ['/metrics'];
const HEALTH_PATHS = ['/health', '/health/live', '/health/ready', '/health/started'];

/**
 * @internal The full paths of the monitoring routes: `{prefix}/metrics`, and the `/health…`
 * paths when there is a health monitor (without one, the app may have its own `/health`).
 */
export function monitoringPaths(router: MonitoringRouter, withHealth: boolean): Set<string> {
  const paths = withHealth ? METRICS_PATHS.concat(HEALTH_PATHS) : METRICS_PATHS;
  return new Set(paths.map((path) => router.prefix + path));
}

/**
 * @internal Whether `url` (a path with or without a query) is one of `paths`, exactly: a variant
 * that Fastify's `ignoreTrailingSlash` or `caseSensitive: false` routes to them is measured.
 */
export function isMonitoringPath(paths: ReadonlySet<string>, url: string): boolean {
  if (paths.size === 0) return false;
  const query = url.indexOf('?');
  return paths.has(query < 0 ? url : url.slice(0, query));
}

/**
 * @internal Registers the router's endpoints as Fastify routes (`GET` and `HEAD`
 * `{prefix}/metrics`, and `/health…` when there is a health monitor), each answering through the
 * router's fetch API: the route builds a `Request` for its own path, so the router sees the path
 * it serves whatever Fastify's URL options (trailing slashes, case), and the answer goes out
 * through `reply.send()`, so Fastify's `onSend` hooks, logging and `onResponse` run as for any
 * route. The request-metrics hooks skip `paths`: scrapes and probes are not traffic.
 */
export function addMonitoringRoutes(
  fastify: FastifyInstance,
  router: MonitoringRouter,
  paths: ReadonlySet<string>,
): void {
  // The paths include the prefix of the context the plugin runs in, which Fastify adds to every
  // route registered here.
  for (const path of paths) {
    fastify.route({
      method: ['GET', 'HEAD'],
      url: path.slice(fastify.prefix.length),
      handler: monitoringHandler(router, path),
    });
  }
}

function monitoringHandler(router: MonitoringRouter, path: string) {
  return async function serveMonitoring(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const url = request.raw.url ?? '';
    const query = url.indexOf('?');
    const search = query < 0 ? '' : url.slice(query);
    // Always GET: for a HEAD request, Node leaves the body out and keeps its Content-Length.
    const response = await router.fetch(
      new Request(`http://vigil.invalid${path}${search}`, { headers: toHeaders(request.headers) }),
    );
    if (response === undefined) throw new Error(`the monitoring router does not serve ${path}`);
    reply.code(response.status);
    response.headers.forEach((value, name) => {
      reply.header(name, value);
    });
    return reply.send(Buffer.from(await response.arrayBuffer()));
  };
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}
