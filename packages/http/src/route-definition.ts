import type { RouteReply } from './route-reply.js';
import type { RouteRequest } from './route-request.js';

/** A method a monitoring route takes. A `GET` route also answers `HEAD`. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route's handler: answers a request, or throws an `HttpError` for a 4xx. */
export type RouteHandler = (request: RouteRequest) => RouteReply | Promise<RouteReply>;

/** One route a package contributes to the monitoring router. */
export interface RouteDefinition {
  readonly method: RouteMethod;
  /** Below the router's prefix; `:name` segments are parameters: `'/alerts/:id/ack'`. */
  readonly path: string;
  readonly handler: RouteHandler;
  /**
   * The route changes state (ack, resolve, replay): it needs the router's token, and is off
   * (403 `HTTP_WRITES_DISABLED`) while the router has none. Default: true for every method but
   * `GET`.
   */
  readonly changesState?: boolean | undefined;
}

/**
 * What a package hands the monitoring router to serve its admin routes, once, in every adapter
 * (Express, Fastify, Next.js and `node:http` alike):
 *
 * ```ts
 * createMonitoringRouter({ registry, routes: [alerts.routes()] });
 * ```
 */
export interface RouteProvider {
  /** Unique per router, such as `'@vigil/alerts'`: error messages and `router.routes()` name it. */
  readonly name: string;
  readonly routes: readonly RouteDefinition[];
}

/** One route as `router.routes()` lists it, for adapters that register routes one by one. */
export interface RouteInfo {
  readonly method: RouteMethod;
  /** The full path, with the router's prefix: `'/_vigil/alerts/:id/ack'`. */
  readonly path: string;
  /** Whether a request needs `Authorization: Bearer <token>` (a write route, or every route with `protectReadEndpoints`). */
  readonly needsToken: boolean;
  /** Whether the route changes state (off without a token). */
  readonly changesState: boolean;
  /** The `name` of the provider that contributed it. */
  readonly provider: string;
}
