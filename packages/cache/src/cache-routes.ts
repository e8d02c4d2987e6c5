import { describeValue, hasMethods, invalidOption } from '@vigil/core/options';
import type { CacheLike, CacheStats } from './cache-stats.js';

/*
 * The shapes `@vigil/http`'s monitoring router takes from a package, declared here so that
 * `@vigil/cache` does not depend on `@vigil/http`: `cacheRoutes(caches)` is assignable to its
 * `RouteProvider`.
 */

/** The part of `@vigil/http`'s `RouteRequest` the cache routes read. */
export interface CacheRouteRequest {
  /** The route's `:name` parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

/** A reply: `@vigil/http`'s `RouteReply` (a non-string body is sent as JSON). */
export interface CacheRouteReply {
  status?: number;
  body?: unknown;
}

/** One route: `@vigil/http`'s `RouteDefinition`. */
export interface CacheRoute {
  readonly method: 'GET';
  /** Below the router's prefix; `:name` segments are parameters. */
  readonly path: string;
  readonly handler: (request: CacheRouteRequest) => Promise<CacheRouteReply>;
  readonly changesState: boolean;
}

/** The cache routes, as `@vigil/http`'s `RouteProvider`: give it to the router's `routes`. */
export interface CacheRouteProvider {
  readonly name: string;
  readonly routes: readonly CacheRoute[];
}

/** A cache as the routes answer it: its `CacheStats`, with `hitRate` `null` before any read. */
export interface CacheSummary extends Omit<CacheStats, 'hitRate'> {
  readonly hitRate: number | null;
}

/**
 * The cache routes for `@vigil/http`'s monitoring router, named `'@vigil/cache'`:
 *
 * - `GET /cache`: `{ caches }`, each cache's `name`, `entries`, `bytes`, `hits`, `misses`,
 *   `stale`, `hitRate` (`null` before the first read), `evictions` (by reason) and `inflight`.
 * - `GET /cache/:name`: one cache, the same fields; an unknown name answers 404
 *   `{ code: 'HTTP_NOT_FOUND', message }`.
 *
 * Both only read: no token is needed unless the router protects its read endpoints. The caches
 * are those given now; their names must be unique.
 *
 * ```ts
 * createMonitoringRouter({ registry, token, routes: [cacheRoutes([users, sessions])] });
 * ```
 *
 * @throws ConfigurationError `INVALID_OPTION` when `caches` is not an array of caches with
 *   unique names.
 */
export function cacheRoutes(caches: readonly CacheLike[]): CacheRouteProvider {
  const byName = cachesByName('cacheRoutes', caches);
  return {
    name: '@vigil/cache',
    routes: [
      {
        method: 'GET',
        path: '/cache',
        changesState: false,
        handler: async () => ({
          body: { caches: [...byName.values()].map(summary) },
        }),
      },
      {
        method: 'GET',
        path: '/cache/:name',
        changesState: false,
        handler: async (request) => {
          const name = request.params['name'] as string;
          const cache = byName.get(name);
          if (cache === undefined) {
            return {
              status: 404,
              body: { code: 'HTTP_NOT_FOUND', message: `no cache named ${JSON.stringify(name)}` },
            };
          }
          return { body: summary(cache) };
        },
      },
    ],
  };
}

/** A cache's stats as the routes answer them. */
function summary(cache: CacheLike): CacheSummary {
  const stats = cache.stats();
  return {
    name: cache.name,
    entries: stats.entries,
    bytes: stats.bytes,
    hits: stats.hits,
    misses: stats.misses,
    stale: stats.stale,
    hitRate: stats.hitRate ?? null,
    evictions: { ...stats.evictions },
    inflight: stats.inflight,
  };
}

/**
 * @internal Checks `caches` (an array of objects with `stats()`, unique names) and keys them by
 * name, in the order given.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming `owner`.
 */
export function cachesByName(owner: string, caches: unknown): ReadonlyMap<string, CacheLike> {
  if (!Array.isArray(caches)) {
    throw invalidOption(owner, `caches should be an array of caches, got ${describeValue(caches)}`);
  }
  const byName = new Map<string, CacheLike>();
  caches.forEach((cache: unknown, index) => {
    if (!hasMethods(cache, ['stats']) || typeof (cache as CacheLike).name !== 'string') {
      throw invalidOption(
        owner,
        `caches[${index}] should be a cache (with a name and stats()), got ${describeValue(cache)}`,
      );
    }
    const { name } = cache as CacheLike;
    if (byName.has(name)) {
      throw invalidOption(
        owner,
        `caches[${index}] is named ${JSON.stringify(name)}, as an earlier cache is; give each cache its own name`,
      );
    }
    byName.set(name, cache as CacheLike);
  });
  return byName;
}
