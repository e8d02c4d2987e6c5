import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalBoolean,
  optionalFunction,
  optionalString,
  required,
} from '@vigil/core/options';
import type { RouteHandler, RouteMethod } from './route-definition.js';

const METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const DEFINITION_KEYS = ['method', 'path', 'handler', 'changesState'] as const;

/** @internal A route definition checked, with its default `changesState`. */
export interface CheckedRoute {
  readonly method: RouteMethod;
  readonly path: string;
  readonly handler: RouteHandler;
  readonly changesState: boolean;
}

/**
 * @internal Checks a route provider: a non-empty `name` and an array of route definitions, each
 * with a known method, a handler and a boolean `changesState` (the route table checks the path).
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the provider, the route and the field.
 */
export function checkProvider(
  owner: string,
  provider: unknown,
): {
  name: string;
  routes: CheckedRoute[];
} {
  const given = checkOptionsObject(owner, provider, ['name', 'routes'], { required: true });
  const name = required(
    owner,
    'name',
    optionalString(owner, 'name', given.name),
    "a non-empty string such as '@vigil/alerts'",
  );
  const routes = given.routes;
  if (!Array.isArray(routes)) {
    throw invalidOption(
      `${owner} '${name}'`,
      `routes should be an array of { method, path, handler, changesState? }, got ${describeValue(routes)}`,
    );
  }
  return {
    name,
    routes: routes.map((route: unknown, index) =>
      checkRoute(`${owner} '${name}': routes[${index}]`, route),
    ),
  };
}

/** @internal Checks one route definition (also those `router.route()` builds). */
export function checkRoute(owner: string, route: unknown): CheckedRoute {
  const given = checkOptionsObject(owner, route, DEFINITION_KEYS, { required: true });
  const method = given.method as RouteMethod;
  if (!METHODS.includes(method)) {
    throw invalidOption(
      owner,
      `method should be one of ${METHODS.join(', ')}, got ${describeValue(given.method)}`,
    );
  }
  const path = String(given.path);
  const handler = required(
    owner,
    'handler',
    optionalFunction<RouteHandler>(owner, 'handler', given.handler),
    `a function (request) => reply for ${method} ${path}`,
  );
  return {
    method,
    path: given.path as string,
    handler,
    changesState: optionalBoolean(owner, 'changesState', given.changesState) ?? method !== 'GET',
  };
}

/** @internal The providers' names must be unique per router. */
export function checkUniqueName(owner: string, name: string, taken: ReadonlySet<string>): void {
  if (taken.has(name)) {
    throw invalidOption(
      owner,
      `a route provider named '${name}' is already in use; give each provider its own name, and add it once`,
    );
  }
}
