import { ConfigurationError, Registry, type VigilError } from '@vigil/core';
import { createMonitoringRouter, type MonitoringRouter, type RouteProvider } from '@vigil/http';
import { caught, serveOnLoopback } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheRoutes } from '../src/cache-routes.js';
import type { CacheLike, CacheStats } from '../src/cache-stats.js';

const TOKEN = 'a-token-of-at-least-32-characters-long';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Counts = Partial<Omit<CacheStats, 'name' | 'hitRate'>>;

/** A cache whose figures the test sets; `hitRate` follows from them as `CacheStats` defines it. */
function fakeCache(name: string, counts: Counts = {}): CacheLike & { counts: Counts } {
  return {
    name,
    counts,
    stats() {
      const c = this.counts;
      const [hits, stale, misses] = [c.hits ?? 0, c.stale ?? 0, c.misses ?? 0];
      const reads = hits + stale + misses;
      return {
        name,
        entries: c.entries ?? 0,
        bytes: c.bytes ?? 0,
        hits,
        misses,
        stale,
        hitRate: reads === 0 ? undefined : (hits + stale) / reads,
        evictions: c.evictions ?? { evict: 0, expire: 0, delete: 0, pressure: 0 },
        inflight: c.inflight ?? 0,
      };
    },
    purgeStale: () => 0,
    shrink: () => 0,
  };
}

async function serve(
  caches: readonly CacheLike[],
): Promise<{ url: string; router: MonitoringRouter }> {
  const provider: RouteProvider = cacheRoutes(caches);
  const router = createMonitoringRouter({
    registry: new Registry(),
    routes: [provider],
    token: TOKEN,
  });
  const server = await serveOnLoopback((req, res) => {
    void router.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  cleanups.push(() => server.close());
  return { url: server.url, router };
}

/** A GET without a token: the cache routes only read. */
async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as unknown };
}

const NO_EVICTIONS = { evict: 0, expire: 0, delete: 0, pressure: 0 };

describe('cacheRoutes', () => {
  it('GET /cache lists every cache’s stats, hitRate null before any read', async () => {
    const users = fakeCache('users', {
      entries: 120,
      bytes: 4096,
      hits: 60,
      stale: 15,
      misses: 25,
      evictions: { evict: 7, expire: 3, delete: 1, pressure: 2 },
      inflight: 4,
    });
    const { url } = await serve([users, fakeCache('sessions')]);
    expect(await get(`${url}/cache`)).toEqual({
      status: 200,
      body: {
        caches: [
          {
            name: 'users',
            entries: 120,
            bytes: 4096,
            hits: 60,
            misses: 25,
            stale: 15,
            hitRate: 0.75,
            evictions: { evict: 7, expire: 3, delete: 1, pressure: 2 },
            inflight: 4,
          },
          {
            name: 'sessions',
            entries: 0,
            bytes: 0,
            hits: 0,
            misses: 0,
            stale: 0,
            hitRate: null,
            evictions: NO_EVICTIONS,
            inflight: 0,
          },
        ],
      },
    });
  });

  it('reads the stats anew on every request', async () => {
    const users = fakeCache('users');
    const { url } = await serve([users]);
    expect(await get(`${url}/cache/users`)).toMatchObject({ body: { hits: 0, hitRate: null } });
    users.counts = { hits: 1, misses: 3 };
    expect(await get(`${url}/cache/users`)).toMatchObject({
      body: { hits: 1, misses: 3, hitRate: 0.25 },
    });
  });

  it('GET /cache/:name answers one cache, its name percent-decoded', async () => {
    const { url } = await serve([fakeCache('users'), fakeCache('user sessions', { hits: 2 })]);
    expect(await get(`${url}/cache/user%20sessions`)).toEqual({
      status: 200,
      body: {
        name: 'user sessions',
        entries: 0,
        bytes: 0,
        hits: 2,
        misses: 0,
        stale: 0,
        hitRate: 1,
        evictions: NO_EVICTIONS,
        inflight: 0,
      },
    });
  });

  it('GET /cache/:name answers 404 HTTP_NOT_FOUND for an unknown cache', async () => {
    const { url } = await serve([fakeCache('users')]);
    expect(await get(`${url}/cache/orders`)).toEqual({
      status: 404,
      body: { code: 'HTTP_NOT_FOUND', message: 'no cache named "orders"' },
    });
  });

  it('is a read-only provider named @vigil/cache: no token needed', async () => {
    const { url, router } = await serve([fakeCache('users')]);
    expect(router.routes().filter((route) => route.provider === '@vigil/cache')).toEqual([
      {
        method: 'GET',
        path: '/cache',
        needsToken: false,
        changesState: false,
        provider: '@vigil/cache',
      },
      {
        method: 'GET',
        path: '/cache/:name',
        needsToken: false,
        changesState: false,
        provider: '@vigil/cache',
      },
    ]);
    expect((await get(`${url}/cache`)).status).toBe(200);
  });

  it('throws INVALID_OPTION for caches that are not an array of caches with unique names', () => {
    const cases: [unknown, string][] = [
      [undefined, 'cacheRoutes: caches should be an array of caches, got undefined'],
      [
        [fakeCache('users'), { name: 'x' }],
        'cacheRoutes: caches[1] should be a cache (with a name and stats()), got {"name":"x"}',
      ],
      [
        [fakeCache('users'), fakeCache('users')],
        'cacheRoutes: caches[1] is named "users", as an earlier cache is; give each cache its own name',
      ],
    ];
    for (const [caches, message] of cases) {
      const error = caught(() => cacheRoutes(caches as CacheLike[])) as VigilError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toBe(message);
    }
  });
});
