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

describe('RedisRecords', () => {
  it('gives a record with a TTL a generous Redis expiry, and clears it on a write without TTL', async () => {
    await store.records.set('ns', 'k', 1, { ttl: '10s' });
    const ttl = await raw.pttl(keys.record('ns', 'k'));
    expect(ttl).toBeGreaterThan(10_000);
    expect(await raw.hgetall(keys.record('ns', 'k'))).toEqual({
      value: '1',
      version: '1',
      expiresAt: String(clock.now() + 10_000),
    });
    await store.records.set('ns', 'k', 2);
    expect(await raw.pttl(keys.record('ns', 'k'))).toBe(-1);
    expect(await raw.hgetall(keys.record('ns', 'k'))).toEqual({ value: '2', version: '2' });
  });

  it('drops index entries of records Redis has expired when list walks over them', async () => {
    await store.records.set('ns', 'a', 1);
    await store.records.set('ns', 'b', 2);
    await store.records.set('ns', 'c', 3);
    await raw.del(keys.record('ns', 'b'));
    const page = await store.records.list('ns', '');
    expect(page.records.map((record) => record.key)).toEqual(['a', 'c']);
    expect(await raw.zrange(keys.recordIndex('ns'), 0, -1)).toEqual(['a', 'c']);
  });

  it('lists keys whose next character is beyond ASCII under their prefix, and not others', async () => {
    for (const key of ['a', 'aÿ', 'a\u{1F600}', 'a中', 'b', 'Za'])
      await store.records.set('ns', key, key);
    const page = await store.records.list('ns', 'a');
    expect(page.records.map((record) => record.key)).toEqual(['a', 'aÿ', 'a中', 'a\u{1F600}']);
  });

  it('lets delete remove a corrupt record (the way to repair it)', async () => {
    await store.records.set('ns', 'k', 1);
    await raw.del(keys.record('ns', 'k'));
    await raw.set(keys.record('ns', 'k'), 'a string, not a hash');
    await expect(store.records.get('ns', 'k')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await expect(store.records.set('ns', 'k', 2)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await store.records.delete('ns', 'k')).toBe(true);
    expect(await store.records.set('ns', 'k', 3)).toMatchObject({ version: 1 });
  });

  it('rejects a record whose value is not JSON or whose expiry is not a number', async () => {
    await store.records.set('ns', 'v', 1);
    await raw.hset(keys.record('ns', 'v'), 'value', '{nope');
    await expect(store.records.get('ns', 'v')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await store.records.set('ns', 'e', 1, { ttl: '1m' });
    await raw.hset(keys.record('ns', 'e'), 'expiresAt', 'later');
    await expect(store.records.get('ns', 'e')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await expect(store.records.compareAndSet('ns', 'e', 1, 2)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
  });

  it('keeps namespaces with colons apart and rejects a prefix that is not a string', async () => {
    await store.records.set('a:b', 'c', 1);
    await store.records.set('a', 'b:c', 2);
    expect((await store.records.list('a:b', '')).records.map((r) => r.value)).toEqual([1]);
    expect((await store.records.list('a', 'b:')).records.map((r) => r.value)).toEqual([2]);
    await expect(store.records.list('a', 7 as unknown as string)).rejects.toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
  });
});
