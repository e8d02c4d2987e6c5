/*
 * The shapes `@vigil/http`'s monitoring router takes from a package (`RouteProvider`,
 * `RouteDefinition`, `RouteRequest`, `RouteReply`), declared here so that `@vigil/jobs` does not
 * depend on `@vigil/http`: `jobsRoutes(jobs)` is assignable to a `RouteProvider`.
 */

/** A method of the jobs routes. */
export type JobsRouteMethod = 'GET' | 'POST' | 'DELETE';

/** The part of `@vigil/http`'s `RouteRequest` the jobs routes read. */
export interface JobsRouteRequest {
  /** The route's `:name` parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The body parsed as JSON; undefined when there is none. */
  json(): Promise<unknown>;
}

/** A reply: `@vigil/http`'s `RouteReply` (a non-string body is sent as JSON). */
export interface JobsRouteReply {
  status?: number;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}

/** One route: `@vigil/http`'s `RouteDefinition`. */
export interface JobsRoute {
  readonly method: JobsRouteMethod;
  /** Below the router's prefix; `:name` segments are parameters. */
  readonly path: string;
  readonly handler: (request: JobsRouteRequest) => Promise<JobsRouteReply>;
  /** Needs the router's token (and is off without one). */
  readonly changesState: boolean;
}

/** The jobs routes, as `@vigil/http`'s `RouteProvider`: give it to the router's `routes`. */
export interface JobsRouteProvider {
  readonly name: string;
  readonly routes: readonly JobsRoute[];
}
