import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Cache } from '../src/index.js';
import { redisTier } from '../src/redis/index.js';

const open: Cache<unknown>[] = [];
afterEach(async () => {
  for (const cache of open.splice(0)) await cache.close();
});

/** Two instances of one cache, each with its own connections to the same Redis. */
function instances(name: string, keyPrefix: string) {
  const errors: unknown[] = [];
  const make = () => {
    const cache = new Cache<unknown>({
      name,
      max: 1_000,
      ttl: '1m',
      l2: redisTier({ url: inject('redisUrl'), keyPrefix, onError: (error) => errors.push(error) }),
    });
    open.push(cache);
    return cache;
  };
  return { a: make(), b: make(), errors };
}

async function until(condition: () => boolean, timeout = 2_000): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeout) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}

/** Lets both instances' subscriptions settle before a test relies on them. */
async function subscribed(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('redisTier on a real Redis', () => {
  it('reads through: one instance loads, the other finds the value in Redis', async () => {
    const { a, b } = instances('users', `t1-${process.pid}-${Date.now()}:`);
    let loads = 0;
    const load = async () => {
      loads++;
      return { name: 'ana', deleted: null };
    };
    expect(await a.getOrSet('user:1', load)).toEqual({ name: 'ana', deleted: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await b.getOrSet('user:1', load)).toEqual({ name: 'ana', deleted: null });
    expect(loads).toBe(1);
    // b keeps it in memory now.
    expect(b.get('user:1')).toEqual({ name: 'ana', deleted: null });
  });

  it('drops the other instance’s copy on set, delete and invalidateTag, within a bound', async () => {
    const { a, b } = instances('scores', `t2-${process.pid}-${Date.now()}:`);
    await subscribed();
    a.set('s:1', 10, { tags: ['team:1'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await b.getOrSet('s:1', () => -1)).toBe(10);
    a.set('s:1', 20, { tags: ['team:1'] });
    const afterSet = await until(() => !b.has('s:1'));
    expect(await b.getOrSet('s:1', () => -1)).toBe(20);
    a.invalidateTag('team:1');
    const afterTag = await until(() => !b.has('s:1'));
    expect(await b.getOrSet('s:1', () => 30)).toBe(30);
    a.delete('s:1');
    const afterDelete = await until(() => !b.has('s:1'));
    // The docs state 100 ms; on loopback it is a few.
    expect(Math.max(afterSet, afterTag, afterDelete)).toBeLessThan(100);
  });

  it('keeps the time to live in step: the other instance keeps it for what is left', async () => {
    const prefix = `t3-${process.pid}-${Date.now()}:`;
    const { a } = instances('ttl', prefix);
    a.set('k', 'v', { ttl: '10s' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const redis = new Redis(inject('redisUrl'));
    try {
      const pttl = await redis.pttl(`${prefix}ttl:v:k`);
      expect(pttl).toBeGreaterThan(9_000);
      expect(pttl).toBeLessThanOrEqual(10_000);
    } finally {
      redis.disconnect();
    }
  });

  it('serves from memory and the loader while Redis is unreachable, and never throws a Redis error', async () => {
    const errors: unknown[] = [];
    const cache = new Cache<string>({
      name: 'down',
      max: 100,
      l2: redisTier({
        url: 'redis://127.0.0.1:1',
        timeout: '100ms',
        onError: (e) => errors.push(e),
      }),
    });
    open.push(cache as Cache<unknown>);
    let loads = 0;
    for (let i = 0; i < 5; i++) {
      expect(await cache.getOrSet(`k${i}`, async () => `v${++loads}`)).toBe(`v${loads}`);
    }
    expect(await cache.getOrSet('k0', async () => 'again')).toBe('v1');
    expect(loads).toBe(5);
    expect(errors.length).toBeGreaterThan(0);
  });
});
