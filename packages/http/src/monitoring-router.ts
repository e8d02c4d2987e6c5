import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BackgroundErrorReporter, backgroundErrorReporter } from '@vigil/core';
import { checkOptionsObject, invalidOption } from '@vigil/core/options';
import type { BearerAuth } from './bearer-auth.js';
import { HttpError, isHttpError } from './errors.js';
import { FetchRequestSource, toResponse } from './fetch-request-source.js';
import { healthRoutes } from './health-endpoints.js';
import { metricsRoutes } from './metrics-endpoint.js';
import { type MonitoringRouterOptions, routerConfig } from './monitoring-router-options.js';
import { NodeRequestSource, writeNodeReply } from './node-request-source.js';
import { pathOf, splitTarget } from './request-target.js';
import { authorize } from './route-auth.js';
import type { RouteHandler, RouteInfo, RouteMethod, RouteProvider } from './route-definition.js';
import {
  type CheckedRoute,
  checkProvider,
  checkRoute,
  checkUniqueName,
} from './route-providers.js';
import { errorReply, internalErrorReply, notAllowed, type Reply, toReply } from './route-reply.js';
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

interface RouteEntry {
  readonly handler: RouteHandler;
  readonly changesState: boolean;
  readonly needsToken: boolean;
  /** `GET /_vigil/metrics`: in messages, and the operation `onError` is told. */
  readonly label: string;
}

const NOT_OURS: Promise<boolean> = Promise.resolve(false);
/** The provider name of routes added with `router.route()`. */
const APP = 'app';

/**
 * The monitoring surface (`/metrics`, `/health…`, and the routes other packages contribute as
 * route providers), written once for `node:http` (`handle`) and the fetch API (`fetch`), so that
 * framework adapters only mount it.
 */
export class MonitoringRouter {
  /** The prefix the routes are mounted under (`''` for none). */
  readonly prefix: string;
  readonly #table = new RouteTable<RouteEntry>();
  readonly #list: RouteInfo[] = [];
  readonly #providers = new Set<string>();
  readonly #auth: BearerAuth | undefined;
  readonly #protectReads: boolean;
  readonly #maxBodyBytes: number;
  readonly #report: BackgroundErrorReporter;

  constructor(options: MonitoringRouterOptions) {
    const config = routerConfig(options);
    this.prefix = config.prefix;
    this.#auth = config.auth;
    this.#protectReads = config.protectReads;
    this.#maxBodyBytes = config.maxBodyBytes;
    this.#report = backgroundErrorReporter('MonitoringRouter', config.onError);
    this.use(metricsRoutes(config.registry, config.openMetrics));
    if (config.health !== undefined) this.use(healthRoutes(config.health, config.healthOutputs));
    for (const provider of config.routes) this.use(provider);
  }

  /** Whether the router serves `url` (a path, with or without a query): the cheap check first. */
  matches(url: string): boolean {
    const path = this.#localPath(pathOf(url));
    return path !== undefined && this.#table.has(path);
  }

  /**
   * Adds the routes of a package (alerts, jobs, cache) below the prefix. Each provider is added
   * once, by its unique `name`; every adapter then serves its routes with no option of its own.
   *
   * @throws ConfigurationError `INVALID_OPTION` for a bad provider or route, a provider name
   *   already in use, or a method and path another route has.
   */
  use(provider: RouteProvider): this {
    const owner = 'MonitoringRouter.use';
    const { name, routes } = checkProvider(owner, provider);
    checkUniqueName(owner, name, this.#providers);
    const where = `${owner} '${name}'`;
    // All or nothing: a provider whose third route clashes adds none.
    const seen = new Set<string>();
    for (const { method, path } of routes) {
      this.#table.check(where, method, path);
      const key = `${method} ${path}`;
      if (seen.has(key)) throw invalidOption(where, `${key} appears twice; list each route once`);
      seen.add(key);
    }
    for (const route of routes) this.#add(where, name, route);
    this.#providers.add(name);
    return this;
  }

  /**
   * Adds one route below the prefix: `router.route('POST', '/alerts/:id/ack', handler)`. A `GET`
   * route also answers `HEAD`. Routes that change state need the token (see `changesState`).
   * A package adds its routes with `use(provider)` instead.
   *
   * @throws ConfigurationError `INVALID_OPTION` for a bad method or path, or a route added twice.
   */
  route(
    method: RouteMethod,
    path: string,
    handler: RouteHandler,
    options: RouteOptions = {},
  ): this {
    const owner = 'MonitoringRouter.route';
    const { changesState } = checkOptionsObject(owner, options, ['changesState']);
    this.#add(owner, APP, checkRoute(owner, { method, path, handler, changesState }));
    return this;
  }

  /**
   * Every route the router serves, in the order they were added: method, full path (with the
   * prefix; `:name` segments are parameters), whether it needs the token, and its provider. A
   * `GET` route also answers `HEAD`. Adapters that register routes one by one read it.
   */
  routes(): readonly RouteInfo[] {
    return [...this.#list];
  }

  /**
   * Serves a `node:http` request (Express, Connect, Fastify's raw request). Resolves false, having
   * written nothing, when the path is not one of the router's (call `next()`); true once answered.
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const target = splitTarget(req.url ?? '/');
    const path = this.#localPath(target.path);
    if (path === undefined || !this.#table.has(path)) return NOT_OURS;
    return this.#serve(new NodeRequestSource(req), path, target.search).then(({ reply, head }) => {
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

  #add(owner: string, provider: string, route: CheckedRoute): void {
    const needsToken = route.changesState || this.#protectReads;
    const label = `${route.method} ${this.prefix}${route.path}`;
    const { handler, changesState } = route;
    this.#table.add(owner, route.method, route.path, {
      handler,
      changesState,
      needsToken,
      label,
    });
    this.#list.push({
      method: route.method,
      path: `${this.prefix}${route.path}`,
      needsToken,
      changesState,
      provider,
    });
  }

  async #serve(
    source: RequestSource,
    path: string,
    search: string,
  ): Promise<{ reply: Reply; head: boolean }> {
    const head = source.method === 'HEAD';
    let entry: RouteEntry | undefined;
    try {
      const match = this.#table.match(path);
      if (match === undefined) throw new HttpError('HTTP_NOT_FOUND', `no route for ${path}`);
      entry = match.methods.get(head ? 'GET' : source.method);
      if (entry === undefined) return { reply: notAllowed(source.method, match.methods), head };
      const denied = authorize(entry, this.#auth, source.header('authorization'));
      if (denied !== undefined) return { reply: denied, head };
      const request: RouteRequest = new SourceRouteRequest(
        source,
        path,
        search,
        match.params,
        this.#maxBodyBytes,
      );
      return { reply: toReply(await entry.handler(request)), head };
    } catch (error) {
      if (isHttpError(error)) return { reply: errorReply(error), head };
      // The client gets a 500 that says nothing of the error; the host gets the error.
      this.#report(error, entry?.label ?? `${source.method} ${this.prefix}${path}`);
      return { reply: internalErrorReply(), head };
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

/**
 * Creates the monitoring router: `GET /metrics`, the `/health` routes (with a `health` monitor)
 * and the routes of the `routes` providers, under `prefix`.
 */
export function createMonitoringRouter(options: MonitoringRouterOptions): MonitoringRouter {
  return new MonitoringRouter(options);
}
