import { type ManualClock, manualClock } from '@vigil/storage/testing';
import { rejection } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../src/index.js';
import { openStore, raw } from './support/postgres.js';

let clock: ManualClock;
let store: PostgresStore;
let schema: string;
let cleanup: () => Promise<void>;

async function setup(): Promise<void> {
  clock = manualClock();
  ({ store, schema, cleanup } = await openStore({ clock }));
}

afterEach(async () => {
  await cleanup();
});

describe('PostgresRecordStore', () => {
  it('keeps JSON exactly, key order and odd characters included', async () => {
    await setup();
    const value = {
      z: 1,
      a: [1.5, null, 'x'],
      nul: 'a\u0000b',
      emoji: '🦊',
      nested: { b: 2, a: 1 },
    };
    const written = await store.records.set('ns', 'k', value);
    expect(written).toEqual({ key: 'k', value, version: 1 });
    const read = await store.records.get('ns', 'k');
    expect(JSON.stringify(read?.value)).toBe(JSON.stringify(value));
  });

  it('counts versions and starts over after the record expired', async () => {
    await setup();
    await store.records.set('ns', 'k', 1, { ttl: '1m' });
    expect((await store.records.set('ns', 'k', 2, { ttl: '1m' })).version).toBe(2);
    clock.advance(60_000);
    expect(await store.records.get('ns', 'k')).toBeUndefined();
    expect(await store.records.set('ns', 'k', 3)).toEqual({ key: 'k', value: 3, version: 1 });
  });

  it('compares and sets in one statement, so exactly one of many racing writers wins', async () => {
    await setup();
    await store.records.set('ns', 'k', 0);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.records.compareAndSet('ns', 'k', 1, i)),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    const creates = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.records.compareAndSet('ns', 'new', 0, i)),
    );
    expect(creates.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('rounds TTLs up to whole ms, and keeps a TTL of centuries as the latest time it can', async () => {
    await setup();
    const now = clock.now();
    expect((await store.records.set('ns', 'a', 1, { ttl: 1.5 })).expiresAt).toBe(now + 2);
    clock.advance(1);
    expect(await store.records.get('ns', 'a')).toBeDefined();
    clock.advance(1);
    expect(await store.records.get('ns', 'a')).toBeUndefined();
    const forever = await store.records.set('ns', 'b', 1, { ttl: 1e300 });
    expect(forever.expiresAt).toBe(Number.MAX_SAFE_INTEGER);
    expect((await store.leases.acquire('l', 'a', 1e300))?.expiresAt).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('lists by prefix with keyset pages, treating LIKE wildcards in the prefix literally', async () => {
    await setup();
    for (const key of ['a_1', 'a_2', 'a%3', 'ab', 'a_3', 'b'])
      await store.records.set('ns', key, key);
    const first = await store.records.list('ns', 'a_', { limit: 2 });
    expect(first.records.map((r) => r.key)).toEqual(['a_1', 'a_2']);
    const second = await store.records.list('ns', 'a_', {
      limit: 2,
      cursor: first.cursor as string,
    });
    expect(second.records.map((r) => r.key)).toEqual(['a_3']);
    expect(second.cursor).toBeUndefined();
  });

  it('rejects a record changed behind its back as STORE_CORRUPT', async () => {
    await setup();
    await store.records.set('ns', 'k', { ok: true });
    await raw(`UPDATE "${schema}".records SET value = '{not json'`);
    expect(await rejection(store.records.get('ns', 'k'))).toMatchObject({ code: 'STORE_CORRUPT' });
    await raw(`UPDATE "${schema}".records SET value = '1', version = 0`);
    expect(await rejection(store.records.list('ns', ''))).toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('rejects keys PostgreSQL cannot hold as STORE_INVALID_ARGUMENT', async () => {
    await setup();
    expect(await rejection(store.records.set('ns', 'a\u0000b', 1))).toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
    expect(await rejection(store.records.compareAndSet('ns', 'k', -1, 1))).toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
  });
});
