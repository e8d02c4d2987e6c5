import { type ManualClock, manualClock } from '@vigil/storage/testing';
import { rejection } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { openStore, postgresUrl, raw } from './support/postgres.js';

let clock: ManualClock;
let store: PostgresStore;
let schema: string;
let cleanup: () => Promise<void>;

async function setup(maxDeadLetters = 10_000): Promise<void> {
  clock = manualClock();
  ({ store, schema, cleanup } = await openStore({ clock, maxDeadLetters }));
}

afterEach(async () => {
  await cleanup();
});

const letter = (id: string, failedAt: number, queue = 'emails') => ({
  id,
  queue,
  payload: { to: `${id}@example.com` },
  error: { message: 'SMTP 550', code: 'E550' },
  attempts: 3,
  failedAt,
});

describe('PostgresDeadLetterStore', () => {
  it('stores letters, defaulting id and failedAt, and reads back what it stored', async () => {
    await setup();
    const stored = await store.deadLetters.add({
      queue: 'emails',
      payload: [1, 'two'],
      error: { message: 'boom' },
      attempts: 1,
      metadata: { host: 'a' },
    });
    expect(stored.failedAt).toBe(clock.now());
    expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.deadLetters.get(stored.id)).toEqual(stored);
  });

  it('pages oldest first by failedAt then id, with queue and time filters', async () => {
    await setup();
    for (const [id, at] of [
      ['c', 2],
      ['a', 2],
      ['b', 1],
      ['d', 3],
    ] as const) {
      await store.deadLetters.add(letter(id, at));
    }
    await store.deadLetters.add(letter('x', 2, 'sms'));
    const first = await store.deadLetters.list({ queue: 'emails', limit: 2 });
    expect(first.letters.map((l) => l.id)).toEqual(['b', 'a']);
    const rest = await store.deadLetters.list({ queue: 'emails', cursor: first.cursor as string });
    expect(rest.letters.map((l) => l.id)).toEqual(['c', 'd']);
    expect(rest.cursor).toBeUndefined();
    expect(await store.deadLetters.count({ from: 2, to: 3 })).toBe(3);
    expect(await store.deadLetters.purge(2)).toBe(1);
    expect(await store.deadLetters.count()).toBe(4);
    expect(await rejection(store.deadLetters.list({ cursor: 'nonsense' }))).toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
  });

  it('drops the oldest past the cap, counted, also when two clients add at once', async () => {
    await setup(5);
    const second = new PostgresStore({ url: postgresUrl(), schema, clock, maxDeadLetters: 5 });
    try {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? store : second).deadLetters.add(
            letter(`l${String(i).padStart(2, '0')}`, i),
          ),
        ),
      );
      expect(await store.deadLetters.count()).toBe(5);
      expect(store.deadLetters.dropped() + second.deadLetters.dropped()).toBe(7);
    } finally {
      await second.close();
    }
  });

  it('rejects a letter changed behind its back as STORE_CORRUPT', async () => {
    await setup();
    await store.deadLetters.add(letter('a', 1));
    await raw(`UPDATE "${schema}".dead_letters SET error = '"just a string"'`);
    expect(await rejection(store.deadLetters.get('a'))).toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await rejection(store.deadLetters.list())).toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
