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

describe('RedisIdempotency', () => {
  it('keeps the value, its expiresAt and the claim token in a hash that Redis collects after the TTL', async () => {
    expect(await store.idempotency.claim('job', { state: 'pending' }, '1m')).toEqual({
      claimed: true,
    });
    expect(await raw.hgetall(keys.idempotency('job'))).toEqual({
      value: '{"state":"pending"}',
      expiresAt: String(clock.now() + 60_000),
      token: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await raw.pttl(keys.idempotency('job'))).toBeGreaterThan(60_000);
  });

  it('decides expiry on the store clock, while Redis still holds the key', async () => {
    await store.idempotency.claim('job', 1, '1m');
    clock.advance(60_000);
    expect(await raw.exists(keys.idempotency('job'))).toBe(1);
    expect(await store.idempotency.get('job')).toBeUndefined();
    expect(await store.idempotency.update('job', 2)).toBe(false);
    expect(await store.idempotency.release('job')).toBe(false);
    expect(await store.idempotency.claim('job', 3, '1m')).toEqual({ claimed: true });
    expect(await store.idempotency.get('job')).toBe(3);
  });

  it('releases a corrupt key, which is how it gets repaired', async () => {
    await raw.set(keys.idempotency('job'), 'a string, not a hash');
    await expect(store.idempotency.claim('job', 1, '1m')).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    await expect(store.idempotency.update('job', 1)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    expect(await store.idempotency.release('job')).toBe(true);
    expect(await store.idempotency.claim('job', 1, '1m')).toEqual({ claimed: true });
    await raw.hset(keys.idempotency('job'), 'value', '{broken');
    await expect(store.idempotency.get('job')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
