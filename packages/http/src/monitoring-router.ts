import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigurationError } from '@vigil/core';
import type { BearerAuth } from './bearer-auth.js';
import { describeValue, HttpError, isHttpError } from './errors.js';
import { FetchRequestSource, toResponse } from './fetch-request-source.js';
import { healthEndpoints } from './health-endpoints.js';
import { metricsEndpoint } from './metrics-endpoint.js';
import { type MonitoringRouterOptions, routerConfig } from './monitoring-router-options.js';
import { NodeRequestSource, writeNodeReply } from './node-request-source.js';
import { checkBoolean, rejectUnknownOptions } from './reject-unknown-options.js';
import { pathOf, splitTarget } from './request-target.js';
import {
  errorReply,
  internalErrorReply,
  type Reply,
  type RouteReply,
  toReply,
} from './route-reply.js';
import { type RequestSource, type RouteRequest, SourceRouteRequest } from './route-request.js';
import { RouteTable } from './route-table.js';

/** Options of `router.route()`. */
export interface RouteOptions {
  /**
   * The route changes state (ack, resolve, replay): it needs the token, and is off (403
   * `HTTP_WRITES_DISABLED`) when the router has none. Default: true for every method but GET.
   */
  changesState?: boolean | undefined;
}

/** A route's handler: answers a request, or throws an `HttpError` for a 4xx. */
export type RouteHandler = (request: RouteRequest) => RouteReply | Promise<RouteReply>;

/** A method `route()` accepts. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RouteEntry {
  readonly handler: RouteHandler;
  readonly changesState: boolean;
  readonly label: string;
}

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const NOT_OURS: Promise<boolean> = Promise.resolve(false);

/**
 * The monitoring surface (`/metrics`, `/health…`, and routes later packages add), written once
 * for `node:http` (`handle`) and the fetch API (`fetch`), so that framework adapters only mount it.
 */
export class MonitoringRouter {
  /** The prefix the routes are mounted under (`''` for none). */
  readonly prefix: string;
  readonly #table = new RouteTable<RouteEntry>();
  readonly #auth: BearerAuth | undefined;
  readonly #protectReads: boolean;
  readonly #maxBodyBytes: number;
  readonly #onError: ((error: unknown, request: RouteRequest) => void) | undefined;
  readonly #warned = new Set<string>();

  constructor(options: MonitoringRouterOptions) {
    const config = routerConfig(options);
    this.prefix = config.prefix;
    this.#auth = config.auth;
    this.#protectReads = config.protectReads;
    this.#maxBodyBytes = config.maxBodyBytes;
    this.#onError = config.onError;
    this.route('GET', '/metrics', metricsEndpoint(options.registry));
    for (const [path, handler] of healthEndpoints(options.health, config.healthOutputs)) {
      this.route('GET', path, handler);
    }
  }

  /** Whether the router serves `url` (a path, with or without a query): the cheap check first. */
  matches(url: string): boolean {
    const path = this.#localPath(pathOf(url));
    return path !== undefined && this.#table.has(path);
  }

  /**
   * Adds a route below the prefix: `router.route('POST', '/alerts/:id/ack', handler)`. A `GET`
   * route also answers `HEAD`. Routes that change state need the token (see `changesState`).
   *
   * @throws ConfigurationError `INVALID_OPTION` for a bad method or path, or a route added twice.
   */
  route(
    method: RouteMethod,
    path: string,
    handler: RouteHandler,
    options: RouteOptions = {},
  ): this {
    if (!METHODS.includes(method)) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `MonitoringRouter.route: method should be one of ${METHODS.join(', ')}, got ${describeValue(method)}`,
      );
    }
    if (typeof handler !== 'function') {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `MonitoringRouter.route: ${method} ${String(path)} needs a handler function, got ${describeValue(handler)}`,
      );
    }
    rejectUnknownOptions('MonitoringRouter.route', options, ['changesState']);
    const changesState =
      checkBoolean('MonitoringRouter.route', 'changesState', options.changesState) ??
      method !== 'GET';
    this.#table.add(method, path, { handler, changesState, label: `${method} ${path}` });
    return this;
  }

  /**
   * Serves a `node:http` request (Express, Connect, Fastify's raw request). Resolves false, having
   * written nothing, when the path is not one of the router's (call `next()`); true once answered.
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const target = splitTarget(req.url ?? '/');
    const path = this.#localPath(target.path);
    if (path === undefined || !this.#table.has(path)) return NOT_OURS;
    const search = target.search;
    return this.#serve(new NodeRequestSource(req), path, search).then(({ reply, head }) => {
      writeNodeReply(res, reply, head);
      return true;
    });
  }

  /**
   * Serves a fetch API `Request` (Next.js route handlers). Resolves undefined when the path is
   * not one of the router's.
   */
  async fetch(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const path = this.#localPath(url.pathname);
    if (path === undefined || !this.#table.has(path)) return undefined;
    const { reply, head } = await this.#serve(new FetchRequestSource(request), path, url.search);
    return toResponse(reply, head);
  }

  async #serve(
    source: RequestSource,
    path: string,
    search: string,
  ): Promise<{ reply: Reply; head: boolean }> {
    const head = source.method === 'HEAD';
    let request: RouteRequest | undefined;
    let label = path;
    try {
      const match = this.#table.match(path);
      if (match === undefined) throw new HttpError('HTTP_NOT_FOUND', `no route for ${path}`);
      const entry = match.methods.get(head ? 'GET' : source.method);
      if (entry === undefined) return { reply: notAllowed(source.method, match.methods), head };
      label = entry.label;
      const denied = this.#authorize(source, entry);
      if (denied !== undefined) return { reply: denied, head };
      request = new SourceRouteRequest(source, path, search, match.params, this.#maxBodyBytes);
      return { reply: toReply(await entry.handler(request)), head };
    } catch (error) {
      if (isHttpError(error)) return { reply: errorReply(error), head };
      if (request !== undefined) this.#report(error, request, label);
      return { reply: internalErrorReply(), head };
    }
  }

  #authorize(source: RequestSource, entry: RouteEntry): Reply | undefined {
    if (!entry.changesState && !this.#protectReads) return undefined;
    const auth = this.#auth;
    if (auth === undefined) {
      return errorReply(
        new HttpError(
          'HTTP_WRITES_DISABLED',
          `${entry.label} changes state and is off because the monitoring router has no token; configure token to enable it`,
        ),
      );
    }
    const result = auth.check(source.header('authorization'));
    if (result === 'ok') return undefined;
    const message =
      result === 'missing'
        ? 'this endpoint needs Authorization: Bearer <token>'
        : 'the bearer token is not valid';
    const challenge =
      result === 'missing' ? 'Bearer realm="vigil"' : 'Bearer realm="vigil", error="invalid_token"';
    return errorReply(new HttpError('HTTP_UNAUTHORIZED', message), {
      'www-authenticate': challenge,
    });
  }

  #report(error: unknown, request: RouteRequest, route: string): void {
    if (this.#onError === undefined) {
      if (this.#warned.has(route)) return;
      this.#warned.add(route);
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.emitWarning(`${route} failed and was answered 500: ${detail}`, {
        type: 'VigilWarning',
        code: 'HTTP_INTERNAL_ERROR',
      });
      return;
    }
    try {
      this.#onError(error, request);
    } catch {
      // An onError that throws must not turn a 500 into an unanswered request.
    }
  }

  #localPath(path: string): string | undefined {
    const prefix = this.prefix;
    if (prefix === '') return path;
    if (path.length > prefix.length && path.startsWith(prefix) && path[prefix.length] === '/') {
      return path.slice(prefix.length);
    }
    return undefined;
  }
}

/** Creates the monitoring router: `GET /metrics` and the `/health` routes, under `prefix`. */
export function createMonitoringRouter(options: MonitoringRouterOptions): MonitoringRouter {
  return new MonitoringRouter(options);
}

function notAllowed(method: string, methods: ReadonlyMap<string, unknown>): Reply {
  const allowed = [...methods.keys()];
  if (methods.has('GET')) allowed.push('HEAD');
  return errorReply(
    new HttpError(
      'HTTP_METHOD_NOT_ALLOWED',
      `${method} is not allowed here; use ${allowed.join(' or ')}`,
    ),
    { allow: allowed.join(', ') },
  );
}
