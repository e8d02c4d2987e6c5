import { manualClock } from '@vigil/storage/testing';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { KeySpace } from '../src/key-space.js';
import { dropPrefix, uniquePrefix } from './redis-test-data.js';

const url = inject('redisUrl');
const clock = manualClock();
let store: RedisStore;
let raw: Redis;
let keys: KeySpace;

beforeEach(() => {
  keys = new KeySpace(uniquePrefix());
  store = new RedisStore({ url, keyPrefix: keys.prefix, clock });
  raw = new Redis(url);
});

afterEach(async () => {
  await store.close();
  await dropPrefix(raw, keys.prefix);
  await raw.quit();
});

describe('RedisLeases', () => {
  it('stores the lease as JSON with a Redis expiry that only collects garbage', async () => {
    const lease = await store.leases.acquire('leader', 'a', '10s');
    expect(JSON.parse((await raw.get(keys.lease('leader'))) as string)).toEqual(lease);
    const ttl = await raw.pttl(keys.lease('leader'));
    expect(ttl).toBeGreaterThan(10_000);
    expect(ttl).toBeLessThanOrEqual(80_000);
    // The store clock decides: past expiresAt the lease is free although the key is still there.
    clock.advance(10_000);
    expect(await raw.exists(keys.lease('leader'))).toBe(1);
    expect(await store.leases.get('leader')).toBeUndefined();
    expect(await store.leases.acquire('leader', 'b', '10s')).toMatchObject({ owner: 'b' });
  });

  it('keeps fencing tokens increasing after Redis dropped the lease key', async () => {
    const first = await store.leases.acquire('leader', 'a', '10s');
    await raw.del(keys.lease('leader'));
    const second = await store.leases.acquire('leader', 'b', '10s');
    expect(second?.token).toBe((first?.token as number) + 1);
    // And above a token still stored when the counter went missing.
    await raw.del(keys.leaseToken('leader'));
    clock.advance(10_000);
    const third = await store.leases.acquire('leader', 'c', '10s');
    expect(third?.token).toBe((second?.token as number) + 1);
  });

  it('round-trips names and owners with quotes, colons and non-ASCII text', async () => {
    const name = 'jobs:"nightly" ✓';
    const owner = 'host-ü:42\\n';
    const lease = await store.leases.acquire(name, owner, '1m');
    expect(lease).toMatchObject({ name, owner });
    expect(await store.leases.renew(name, owner, '2m')).toMatchObject({ name, owner });
    expect(await store.leases.get(name)).toMatchObject({ name, owner });
    expect(await store.leases.release(name, owner)).toBe(true);
  });

  it('rejects a lease key of the wrong type or name as STORE_CORRUPT', async () => {
    await raw.hset(keys.lease('hash'), 'owner', 'a');
    await expect(store.leases.acquire('hash', 'a', '1m')).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    await expect(store.leases.get('hash')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const other = { name: 'other', owner: 'a', token: 1, expiresAt: clock.now() + 60_000 };
    await raw.set(keys.lease('moved'), JSON.stringify(other));
    await expect(store.leases.get('moved')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await raw.set(keys.leaseToken('counter'), 'not a number');
    await expect(store.leases.acquire('counter', 'a', '1m')).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    await raw.set(keys.lease('text'), 'not json');
    await expect(store.leases.renew('text', 'a', '1m')).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
  });
});
