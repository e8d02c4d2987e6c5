import { ConfigurationError, type VigilError } from '@vigil/core';
import { type HealthCheck, HealthMonitor } from '@vigil/health';
import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type CacheHealthCheckOptions, cacheHealthCheck } from '../src/cache-health-check.js';
import type { CacheLike } from '../src/cache-stats.js';

const monitors: HealthMonitor[] = [];
afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
});

interface Reads {
  hits?: number;
  stale?: number;
  misses?: number;
  entries?: number;
}

/** A cache with these reads; `hitRate` follows from them as `CacheStats` defines it. */
function fakeCache(name: string, reads: Reads = {}): CacheLike & { reads: Reads } {
  return {
    name,
    reads,
    stats() {
      const { hits = 0, stale = 0, misses = 0, entries = 0 } = this.reads;
      const total = hits + stale + misses;
      return {
        name,
        entries,
        bytes: 0,
        hits,
        misses,
        stale,
        hitRate: total === 0 ? undefined : (hits + stale) / total,
        evictions: { evict: 0, expire: 0, delete: 0, pressure: 0 },
        inflight: 0,
      };
    },
    purgeStale: () => 0,
    shrink: () => 0,
  };
}

describe('cacheHealthCheck', () => {
  it('is a HealthCheck named cache, non-critical and quick, that passes with details per cache', () => {
    const check: HealthCheck = cacheHealthCheck({
      caches: [
        fakeCache('users', { hits: 90, stale: 5, misses: 5, entries: 40 }),
        fakeCache('cold'),
      ],
    });
    expect(check).toMatchObject({ name: 'cache', critical: false, quick: true });
    expect(check.run(new AbortController().signal)).toEqual({
      status: 'pass',
      details: {
        'users.hitRate': 0.95,
        'users.reads': 100,
        'users.hits': 90,
        'users.stale': 5,
        'users.misses': 5,
        'users.entries': 40,
        'cold.hitRate': null,
        'cold.reads': 0,
        'cold.hits': 0,
        'cold.stale': 0,
        'cold.misses': 0,
        'cold.entries': 0,
      },
    });
  });

  it('warns naming each cache under a 70 % hit rate, with its hit rate', () => {
    const check = cacheHealthCheck({
      caches: [
        fakeCache('users', { hits: 60, misses: 40 }),
        fakeCache('sessions', { hits: 95, misses: 5 }),
        fakeCache('orders', { hits: 100, stale: 23, misses: 77 }),
      ],
    });
    expect(check.run()).toMatchObject({
      status: 'warn',
      output:
        'users: hit rate 60% over 100 reads (warn below 70%); orders: hit rate 61.5% over 200 reads (warn below 70%)',
      details: { 'users.hitRate': 0.6, 'sessions.hitRate': 0.95, 'orders.hitRate': 0.615 },
    });
  });

  it('counts stale reads as hits, and passes at exactly 70 %', () => {
    const cache = fakeCache('users', { hits: 50, stale: 20, misses: 30 });
    const check = cacheHealthCheck({ caches: [cache] });
    expect(check.run()).toMatchObject({ status: 'pass', details: { 'users.hitRate': 0.7 } });
    cache.reads = { hits: 50, stale: 19, misses: 31 };
    expect(check.run()).toMatchObject({
      status: 'warn',
      output: 'users: hit rate 69% over 100 reads (warn below 70%)',
    });
  });

  it('does not judge a cache below 100 reads', () => {
    const cache = fakeCache('users', { hits: 9, misses: 90 });
    const check = cacheHealthCheck({ caches: [cache] });
    expect(check.run()).toMatchObject({
      status: 'pass',
      details: { 'users.hitRate': 0.0909, 'users.reads': 99 },
    });
    cache.reads = { hits: 10, misses: 90 };
    expect(check.run().status).toBe('warn');
  });

  it('takes minHitRate, minRequests and name as options', () => {
    const caches = [fakeCache('users', { hits: 8, misses: 2 })];
    expect(cacheHealthCheck({ caches }).run().status).toBe('pass');
    expect(cacheHealthCheck({ caches, minRequests: 10 }).run().status).toBe('pass');
    expect(cacheHealthCheck({ caches, minRequests: 10, minHitRate: 0.9 }).run()).toMatchObject({
      status: 'warn',
      output: 'users: hit rate 80% over 10 reads (warn below 90%)',
    });
    expect(cacheHealthCheck({ caches, name: 'lru' }).name).toBe('lru');
  });

  it('plugs into a HealthMonitor: a low hit rate degrades the service, never makes it critical', async () => {
    const cache = fakeCache('users', { hits: 10, misses: 190 });
    const monitor = new HealthMonitor({
      checks: [cacheHealthCheck({ caches: [cache] })],
      cacheFor: 0,
    });
    monitors.push(monitor);
    const degraded = await monitor.check();
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks['cache']).toMatchObject({
      status: 'warn',
      critical: false,
      output: 'users: hit rate 5% over 200 reads (warn below 70%)',
      details: { 'users.hitRate': 0.05, 'users.reads': 200 },
    });
    cache.reads = { hits: 1000, misses: 190 };
    const healthy = await monitor.check();
    expect(healthy.status).toBe('healthy');
    expect(healthy.checks['cache']?.status).toBe('pass');
  });

  it('throws INVALID_OPTION for bad options, naming the field and value', () => {
    const caches = [fakeCache('users')];
    const cases: [unknown, string][] = [
      [undefined, 'cacheHealthCheck: options should be an object, got undefined'],
      [{}, 'cacheHealthCheck: caches is required: an array of the caches to judge'],
      [
        { caches: [fakeCache('users'), fakeCache('users')] },
        'cacheHealthCheck: caches[1] is named "users", as an earlier cache is; give each cache its own name',
      ],
      [
        { caches: [42] },
        'cacheHealthCheck: caches[0] should be a cache (with a name and stats()), got 42',
      ],
      [
        { caches, minHitRate: 70 },
        'cacheHealthCheck: minHitRate should be a finite number from 0 to 1, got 70',
      ],
      [
        { caches, minRequests: 1.5 },
        'cacheHealthCheck: minRequests should be a non-negative integer, got 1.5',
      ],
      [{ caches, name: '' }, 'cacheHealthCheck: name should be a non-empty string, got ""'],
      [
        { caches, minHitrate: 0.5 },
        "cacheHealthCheck: unknown option 'minHitrate'; the options are caches, minHitRate, minRequests, name",
      ],
    ];
    for (const [options, message] of cases) {
      const error = caught(() =>
        cacheHealthCheck(options as CacheHealthCheckOptions),
      ) as VigilError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toBe(message);
    }
  });
});
