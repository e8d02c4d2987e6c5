import { Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { TimeoutError } from '@vigil/resilience';
import { caught, deferred, rejection } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { Cache, CacheKeyError, uncached } from '../src/index.js';

const SECOND = 1_000;

function setup(options: Partial<ConstructorParameters<typeof Cache<string | null>>[0]> = {}) {
  const clock = manualClock();
  const errors: unknown[] = [];
  const cache = new Cache<string | null>({
    name: 'test',
    max: 100,
    clock,
    timers: clock,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { clock, cache, errors };
}

/** Lets pending promise reactions run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('Cache: reads and writes', () => {
  it('gets, sets, peeks and deletes; null is a value, undefined is nothing', () => {
    const { cache } = setup();
    cache.set('a', 'x');
    cache.set('n', null);
    cache.set('u', undefined as unknown as string);
    expect(cache.get('a')).toBe('x');
    expect(cache.get('n')).toBe(null);
    expect(cache.has('n')).toBe(true);
    expect(cache.has('u')).toBe(false);
    expect(cache.peek('a')).toBe('x');
    expect(cache.delete('a')).toBe(true);
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1 });
  });

  it('expires entries after their ttl, on the injected clock', () => {
    const { clock, cache } = setup({ ttl: '10s' });
    cache.set('a', 'x');
    cache.set('b', 'y', { ttl: '1s' });
    clock.advance(2 * SECOND);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('x');
    clock.advance(9 * SECOND);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the least recently used past max, and counts why entries left', () => {
    const { cache } = setup({ max: 2 });
    const reasons: string[] = [];
    cache.on('evict', ({ key, reason }) => reasons.push(`${key} ${reason}`));
    cache.set('a', '1');
    cache.set('b', '2');
    cache.get('a');
    cache.set('c', '3');
    cache.delete('c');
    expect(reasons).toEqual(['b evict', 'c delete']);
    expect(cache.stats().evictions).toEqual({ evict: 1, expire: 0, delete: 1, pressure: 0 });
  });

  it('refuses what it cannot hold: no bound, bad durations, bad keys', () => {
    expect(caught(() => new Cache({ name: 'x' }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(() => new Cache({ name: 'x', max: 10, ttl: -1 }))).toMatchObject({
      code: 'INVALID_DURATION',
    });
    expect(caught(() => new Cache({ name: 'x', maxSize: 10 }))).toMatchObject({
      code: 'INVALID_OPTION',
    });
    const { cache } = setup();
    expect(caught(() => cache.set('', 'x'))).toBeInstanceOf(CacheKeyError);
    expect(caught(() => cache.set(42 as unknown as string, 'x'))).toMatchObject({
      code: 'CACHE_INVALID_KEY',
    });
  });
});

describe('Cache: getOrSet', () => {
  it('calls the loader once for 1,000 concurrent misses; every caller gets its result', async () => {
    const { cache } = setup();
    let calls = 0;
    const gate = deferred<string>();
    const reads = Array.from({ length: 1_000 }, () =>
      cache.getOrSet('k', () => {
        calls++;
        return gate.promise;
      }),
    );
    gate.resolve('v');
    expect(new Set(await Promise.all(reads))).toEqual(new Set(['v']));
    expect(calls).toBe(1);
    expect(await cache.getOrSet('k', () => 'other')).toBe('v');
  });

  it('gives every concurrent caller the loader’s error, and caches nothing', async () => {
    const { cache } = setup();
    let calls = 0;
    const reads = Array.from({ length: 100 }, () =>
      cache.getOrSet('k', async () => {
        calls++;
        throw new Error('db down');
      }),
    );
    const results = await Promise.allSettled(reads);
    expect(
      results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'db down'),
    ).toBe(true);
    expect(calls).toBe(1);
    expect(cache.has('k')).toBe(false);
  });

  it('does not cache undefined, nor what the loader marks uncached', async () => {
    const { cache } = setup();
    expect(await cache.getOrSet('u', () => undefined)).toBeUndefined();
    expect(await cache.getOrSet('p', () => uncached('partial'))).toBe('partial');
    expect(await cache.getOrSet('n', () => null)).toBe(null);
    expect([cache.has('u'), cache.has('p'), cache.has('n')]).toEqual([false, false, true]);
  });

  it('serves a stale value at once within staleWhileRevalidate, and refreshes it in the background', async () => {
    const { clock, cache } = setup({ ttl: '10s', staleWhileRevalidate: '1m' });
    await cache.getOrSet('k', () => 'v1');
    clock.advance(20 * SECOND);
    const gate = deferred<string>();
    expect(await cache.getOrSet('k', () => gate.promise)).toBe('v1');
    expect(cache.stats().stale).toBe(1);
    gate.resolve('v2');
    await settle();
    expect(await cache.getOrSet('k', () => 'v3')).toBe('v2');
    // Past the window the stale value is a miss.
    clock.advance(80 * SECOND);
    expect(await cache.getOrSet('k', () => 'v4')).toBe('v4');
  });

  it('serves a stale value within staleIfError when the loader fails, and throws after it', async () => {
    const { clock, cache } = setup({ ttl: '10s', staleIfError: '1m' });
    await cache.getOrSet('k', () => 'good');
    clock.advance(30 * SECOND);
    const failing = () => Promise.reject(new Error('down'));
    expect(await cache.getOrSet('k', failing)).toBe('good');
    clock.advance(45 * SECOND);
    expect(((await rejection(cache.getOrSet('k', failing))) as Error).message).toBe('down');
  });

  it('answers the stale value past the soft timeout, and keeps the late result', async () => {
    const { clock, cache } = setup({ ttl: '10s', staleIfError: '1m', softTimeout: '200ms' });
    await cache.getOrSet('k', () => 'old');
    clock.advance(20 * SECOND);
    const gate = deferred<string>();
    const read = cache.getOrSet('k', () => gate.promise);
    await settle();
    clock.advance(300);
    expect(await read).toBe('old');
    gate.resolve('new');
    await settle();
    expect(cache.get('k')).toBe('new');
  });

  it('fails a loader past its hard timeout with TimeoutError, its signal aborted', async () => {
    const { clock, cache } = setup();
    let signal: AbortSignal | undefined;
    const read = cache.getOrSet(
      'k',
      (context) => {
        signal = context.signal;
        return new Promise<string>(() => undefined);
      },
      { hardTimeout: '1s' },
    );
    await settle();
    clock.advance(SECOND);
    expect(await rejection(read)).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(cache.stats().inflight).toBe(0);
  });
});

describe('Cache: tags, pressure and metrics', () => {
  it('invalidates by tag', async () => {
    const { cache } = setup();
    cache.set('u1', 'a', { tags: ['users', 'team:1'] });
    cache.set('u2', 'b', { tags: ['users'] });
    await cache.getOrSet('t1', () => 'c', { tags: ['team:1'] });
    expect(cache.invalidateTag('team:1')).toBe(2);
    expect([cache.has('u1'), cache.has('u2'), cache.has('t1')]).toEqual([false, true, false]);
    expect(cache.invalidateTags(['users', 'nothing'])).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('shrinks the least recently used first, counted as pressure; purges expired entries', () => {
    const { clock, cache } = setup({ max: 100, ttl: '1m' });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, String(i));
    cache.get('k0');
    expect(cache.shrink(0.3)).toBe(3);
    expect([cache.has('k0'), cache.has('k1'), cache.has('k3'), cache.has('k4')]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(cache.stats().evictions.pressure).toBe(3);
    clock.advance(2 * 60 * SECOND);
    expect(cache.purgeStale()).toBe(7);
  });

  it('keeps metrics per cache in one registry: requests, evictions, entries, loader time and errors', async () => {
    const registry = new Registry();
    const { cache } = setup({ registry, max: 1 });
    const other = new Cache<string>({ name: 'other', max: 10, registry });
    cache.set('a', 'x');
    cache.get('a');
    cache.get('b');
    cache.set('c', 'y');
    await rejection(cache.getOrSet('d', () => Promise.reject(new Error('no'))));
    other.set('z', 'z');
    const text = await registry.metrics();
    expect(text).toContain('vigil_cache_requests_total{cache="test",result="hit"} 1');
    expect(text).toContain('vigil_cache_requests_total{cache="test",result="miss"} 2');
    expect(text).toContain('vigil_cache_evictions_total{cache="test",reason="evict"} 1');
    expect(text).toContain('vigil_cache_entries{cache="test"} 1');
    expect(text).toContain('vigil_cache_entries{cache="other"} 1');
    expect(text).toContain('vigil_cache_loader_errors_total{cache="test"} 1');
    expect(text).toContain('vigil_cache_loader_duration_seconds_count{cache="test"} 1');
    expect(cache.stats().hitRate).toBeCloseTo(1 / 3);
  });
});

describe('Cache: wrap', () => {
  it('keeps fn’s signature, keys by name and arguments, and shares loads', async () => {
    const { cache } = setup();
    let calls = 0;
    const score = cache.wrap('score', async (user: string, season: number) => {
      calls++;
      return `${user}@${season}`;
    });
    expect(await Promise.all([score('ana', 1), score('ana', 1), score('bo', 1)])).toEqual([
      'ana@1',
      'ana@1',
      'bo@1',
    ]);
    expect(calls).toBe(2);
    expect(cache.peek('score:["ana",1]')).toBe('ana@1');
    const keyed = cache.wrap('k', (id: string) => id.toUpperCase(), { key: (id) => `id:${id}` });
    expect(await keyed('x')).toBe('X');
    expect(cache.peek('id:x')).toBe('X');
    const bad = cache.wrap('bad', (id: string) => id, { key: () => 42 as unknown as string });
    expect(await rejection(bad('x'))).toBeInstanceOf(CacheKeyError);
  });
});
