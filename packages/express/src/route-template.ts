import { IncomingMessage } from 'node:http';

/** What the adapter reads of an Express `Route` (Express 4 and 5 alike). */
interface ExpressRoute {
  readonly path?: unknown;
}

/** The route that matched a request, and the mount path of the router holding it then. */
interface MatchedRoute {
  readonly route: ExpressRoute;
  readonly base: string;
}

// Kept beside the request, not on it: properties added to every request object cost Express's
// own code on each access (measured: about 6 µs a request). One map for every copy of this
// package (ESM and CJS patch the same prototype and must agree), found through Symbol.for.
const kMatched = Symbol.for('vigil.express.matchedRoutes');
const matched: WeakMap<IncomingMessage, MatchedRoute> = ((
  globalThis as { [kMatched]?: WeakMap<IncomingMessage, MatchedRoute> }
)[kMatched] ??= new WeakMap());

/** @internal An Express request as the adapter sees it. */
export interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
}

// Shared accessor functions: every request keeps the same property shape, and no closure.
function getRoute(this: RoutedRequest): ExpressRoute | undefined {
  return matched.get(this)?.route;
}

function setRoute(this: RoutedRequest, route: ExpressRoute): void {
  matched.set(this, { route, base: this.baseUrl ?? '' });
}

const ROUTE_PROPERTY: PropertyDescriptor = {
  get: getRoute,
  set: setRoute,
  enumerable: true,
  configurable: true,
};

/**
 * @internal Watches `req.route`: Express's router assigns it when a route matches, and at that
 * moment `req.baseUrl` is the mount path of the router holding the route (`/api` for
 * `app.use('/api', router)`). Both are kept, because Express restores `req.baseUrl` when an
 * error or a `next()` leaves the nested router, so reading it when the response closes would
 * lose the prefix (express-prom-bundle's bug). `req.route` still reads and writes as before.
 */
export function watchRoute(req: IncomingMessage): void {
  // Once, on Express's shared `request` prototype (every app's `app.request`, sub-apps included,
  // inherits from it): defining it on every request changed each request object's shape, which
  // cost Express's own code on every property access.
  const own = Object.getPrototypeOf(req) as object;
  if (seen.has(own)) return;
  const prototype = expressRequestPrototype(req);
  if (prototype === undefined) {
    Object.defineProperty(req, 'route', ROUTE_PROPERTY);
    return;
  }
  if (!watched.has(prototype)) {
    Object.defineProperty(prototype, 'route', ROUTE_PROPERTY);
    watched.add(prototype);
  }
  seen.add(own);
}

/** Express's shared request prototypes already given the accessor. */
const watched = new WeakSet<object>();
/** Each app's `app.request` whose chain is known to hold it: one lookup per request. */
const seen = new WeakSet<object>();

/** The last prototype before `IncomingMessage.prototype`, or undefined outside Express. */
function expressRequestPrototype(req: IncomingMessage): object | undefined {
  let prototype = Object.getPrototypeOf(req) as object | null;
  let below: object | undefined;
  while (prototype !== null && prototype !== IncomingMessage.prototype) {
    below = prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null;
  }
  return prototype === null ? undefined : below;
}

/**
 * @internal The full route template of the last route that matched `req`
 * (`/api/users/:id`), or undefined when no route matched. An array of paths is one template per
 * path joined with `,`, and a regular expression is written as `String(regexp)`, as
 * OpenTelemetry's Express instrumentation does (both allocate a string per request; plain
 * string paths under no prefix allocate nothing).
 */
export function routeTemplate(req: IncomingMessage): string | undefined {
  const found = matched.get(req);
  if (found === undefined || found.route === undefined || found.route === null) return undefined;
  const path = found.route.path;
  const base = found.base;
  if (typeof path === 'string') return base === '' ? path : under(base, path);
  if (Array.isArray(path)) return path.map((item) => under(base, String(item))).join(',');
  return under(base, String(path));
}

/** `path` under the mount path `base`: `/api` + `/users` → `/api/users`; `/api` + `/` → `/api`. */
function under(base: string, path: string): string {
  if (base === '') return path;
  return path === '/' ? base : base + path;
}
