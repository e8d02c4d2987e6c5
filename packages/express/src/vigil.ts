import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createMonitoringRouter,
  HttpMetrics,
  type MonitoringRouter,
  type RequestTiming,
  runWithServerTiming,
} from '@vigil/http';
import { errorTypeOf } from './record-errors.js';
import { routeTemplate, watchRoute } from './route-template.js';
import { type VigilOptions, vigilConfig } from './vigil-options.js';

/** The middleware `vigil()` returns, with the metrics and router behind it. */
export interface VigilMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  /** The request metrics (`http_server_request_duration_seconds`, active requests). */
  readonly metrics: HttpMetrics;
  /** The monitoring routes (`/metrics`, `/health…`); `router.route()` adds more. */
  readonly router: MonitoringRouter;
}

/**
 * Vigil for Express 5 (and 4): `app.use(vigil({ registry, health }))`, before your routes.
 * Answers the monitoring routes (`GET /metrics`, `/health`, `/health/live`, `/health/ready`,
 * `/health/started`, under `prefix`) and records every other request in
 * `http_server_request_duration_seconds` with its route template (`/api/users/:id`, `''` when no
 * route matched) once its response closes, whether it completed or the client went away.
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION`) for a bad option.
 */
export function vigil(options: VigilOptions): VigilMiddleware {
  const config = vigilConfig(options);
  const router = createMonitoringRouter(config.router); // registers nothing: check it first
  const metrics = new HttpMetrics(config.metrics);
  const rewrite = config.route;
  const templateOf =
    rewrite === undefined
      ? routeTemplate
      : (req: IncomingMessage) => rewrite(req, routeTemplate(req));
  const serverTiming = config.serverTiming;
  const bodySizes = metrics.requestSize !== undefined;
  // Beside the response, not on it: a property added to every response object costs Node's and
  // Express's own code on each access.
  const timings = new WeakMap<ServerResponse, RequestTiming>();

  function onClose(this: ServerResponse): void {
    const req = this.req;
    const finished = this.writableFinished;
    const status = finished || this.headersSent ? this.statusCode : undefined;
    const errorType = errorTypeOf(req, finished, status ?? 0);
    if (!bodySizes) {
      metrics.end(timings.get(this), templateOf(req), status, errorType);
      return;
    }
    const requestBytes = Number(req.headers['content-length'] ?? Number.NaN);
    const responseBytes = Number(this.getHeader('content-length') ?? Number.NaN);
    metrics.end(
      timings.get(this),
      templateOf(req),
      status,
      errorType,
      Number.isNaN(requestBytes) ? undefined : requestBytes,
      Number.isNaN(responseBytes) ? undefined : responseBytes,
    );
  }

  function middleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void {
    const url = req.url ?? '/';
    if (router.matches(url)) {
      router.handle(req, res).catch(next);
      return;
    }
    const timing = metrics.start(req.method ?? 'GET', url);
    if (timing === undefined) {
      next();
      return;
    }
    timings.set(res, timing);
    watchRoute(req);
    res.on('close', onClose);
    if (serverTiming) runWithServerTiming(res, next);
    else next();
  }

  return Object.assign(middleware, { metrics, router });
}
