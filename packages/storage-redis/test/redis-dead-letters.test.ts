import type { NewDeadLetter } from '@vigil/storage';
import { manualClock } from '@vigil/storage/testing';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { KeySpace } from '../src/key-space.js';
import { dropPrefix, uniquePrefix } from './redis-test-data.js';

const url = inject('redisUrl');
const clock = manualClock();
let keys: KeySpace;
let raw: Redis;
const stores: RedisStore[] = [];

function open(maxDeadLetters = 10_000): RedisStore {
  const store = new RedisStore({ url, keyPrefix: keys.prefix, clock, maxDeadLetters });
  stores.push(store);
  return store;
}

function letter(id: string, failedAt: number, queue = 'q'): NewDeadLetter {
  return { id, queue, failedAt, payload: { id }, error: { message: 'boom' }, attempts: 1 };
}

beforeEach(() => {
  keys = new KeySpace(uniquePrefix());
  raw = new Redis(url);
});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await dropPrefix(raw, keys.prefix);
  await raw.quit();
});

describe('RedisDeadLetters', () => {
  it('orders by failedAt (negative, fractional, huge) then id', async () => {
    const store = open();
    const times = [5, -1.5, 0, -0, 1e15, 0.25, -1e15, 5, 5];
    const letters = times.map((failedAt, i) =>
      letter(`id-${String.fromCharCode(105 - i)}`, failedAt),
    );
    for (const item of letters) await store.deadLetters.add(item);
    const expected = [...letters]
      .sort(
        (a, b) =>
          (a.failedAt as number) - (b.failedAt as number) ||
          (a.id as string).localeCompare(b.id as string),
      )
      .map((item) => item.id);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.deadLetters.list(
        cursor === undefined ? { limit: 2 } : { limit: 2, cursor },
      );
      ids.push(...page.letters.map((item) => item.id));
      cursor = page.cursor;
    } while (cursor !== undefined && ids.length < 20);
    expect(ids).toEqual(expected);
    expect(await store.deadLetters.count({ from: 0, to: 5 })).toBe(3);
  });

  it('applies the cap across clients; each counts what its own adds dropped', async () => {
    const a = open(3);
    const b = open(3);
    await a.deadLetters.add(letter('1', 1));
    await a.deadLetters.add(letter('2', 2));
    await b.deadLetters.add(letter('3', 3));
    await b.deadLetters.add(letter('4', 4, 'other'));
    await a.deadLetters.add(letter('5', 5));
    expect(b.deadLetters.dropped()).toBe(1);
    expect(a.deadLetters.dropped()).toBe(1);
    expect((await a.deadLetters.list()).letters.map((item) => item.id)).toEqual(['3', '4', '5']);
    expect(await a.deadLetters.count({ queue: 'q' })).toBe(2);
    expect(await raw.exists(keys.deadLetter('1'), keys.deadLetter('2'))).toBe(0);
  });

  it('moves a re-added letter between queues', async () => {
    const store = open();
    await store.deadLetters.add(letter('x', 1, 'first'));
    await store.deadLetters.add(letter('x', 2, 'second'));
    expect(await store.deadLetters.count({ queue: 'first' })).toBe(0);
    expect(await store.deadLetters.count({ queue: 'second' })).toBe(1);
    expect(await store.deadLetters.count()).toBe(1);
  });

  it('purges in batches', async () => {
    const store = open();
    const pipeline = [];
    for (let i = 0; i < 2_500; i++) pipeline.push(store.deadLetters.add(letter(`p${i}`, i)));
    await Promise.all(pipeline);
    expect(await store.deadLetters.purge(2_100)).toBe(2_100);
    expect(await store.deadLetters.count()).toBe(400);
    expect(await raw.exists(keys.deadLetter('p0'), keys.deadLetter('p2099'))).toBe(0);
    expect(await raw.zcard(keys.deadLetterQueue('q'))).toBe(400);
  });

  it('rejects a cursor it did not make and a letter stored under another id', async () => {
    const store = open();
    await expect(store.deadLetters.list({ cursor: 'nonsense' })).rejects.toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
    await store.deadLetters.add(letter('a', 1));
    await raw.hset(
      keys.deadLetter('a'),
      'letter',
      JSON.stringify({ ...letter('b', 1), failedAt: 1 }),
    );
    await expect(store.deadLetters.get('a')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await store.deadLetters.remove('a')).toBe(true);
    expect(await store.deadLetters.count()).toBe(0);
  });
});
