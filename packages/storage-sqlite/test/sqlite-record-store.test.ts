import { expectStoreError } from '@vigil/storage/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { type TamperedStore, tamperedStore } from './support/tampered-store.js';

const stores: SqliteStore[] = [];
const tampered: TamperedStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const subject of tampered.splice(0)) await subject.close();
});

function open(): SqliteStore {
  const store = new SqliteStore({ path: ':memory:' });
  stores.push(store);
  return store;
}

describe('SqliteRecordStore list', () => {
  it('takes the prefix literally (no LIKE wildcards) and handles any characters', async () => {
    const { records } = open();
    for (const key of ['a_1', 'ab', 'a%', 'a%b', 'ü:1', 'ü:2', 'ü'])
      await records.set('ns', key, 1);
    const keys = async (prefix: string) =>
      (await records.list('ns', prefix)).records.map((r) => r.key);
    expect(await keys('a_')).toEqual(['a_1']);
    expect(await keys('a%')).toEqual(['a%', 'a%b']);
    expect(await keys('ü:')).toEqual(['ü:1', 'ü:2']);
  });

  it('refuses a cursor it did not make', async () => {
    const { records, deadLetters } = open();
    await expectStoreError(
      () => records.list('ns', '', { cursor: 'nope' }),
      'STORE_INVALID_ARGUMENT',
    );
    await expectStoreError(() => deadLetters.list({ cursor: 'W10' }), 'STORE_INVALID_ARGUMENT');
  });
});

describe('SqliteRecordStore with rows edited behind its back', () => {
  it.each<[string, string]>([
    ['a fractional version', 'version = 2.5'],
    ['a negative version', 'version = -2'],
    ['a zero version', 'version = 0'],
    ['a text version', "version = 'two'"],
    ['a text expiry', "expires_at = 'tomorrow'"],
    ['an infinite expiry', 'expires_at = 9e999'],
  ])('set() on a record with %s is STORE_CORRUPT', async (_, damage) => {
    const subject = tamperedStore();
    tampered.push(subject);
    const { records } = subject.store;
    await records.set('alerts', 'cpu', { state: 'pending' }, { ttl: '1h' });
    subject.db
      .prepare(`UPDATE vigil_records SET ${damage} WHERE namespace = 'alerts' AND key = 'cpu'`)
      .run();
    await expect(records.set('alerts', 'cpu', { state: 'firing' })).rejects.toEqual(
      expect.objectContaining({
        code: 'STORE_CORRUPT',
        message: expect.stringMatching(/record 'cpu' of namespace 'alerts'/),
      }),
    );
    // Nothing was written: the damaged row is left for whoever repairs it.
    expect(
      subject.db.prepare("SELECT value FROM vigil_records WHERE key = 'cpu'").pluck().get(),
    ).toBe('{"state":"pending"}');
  });

  it('set() over an expired record starts again at version 1, whatever its version was', async () => {
    const subject = tamperedStore();
    tampered.push(subject);
    const { records } = subject.store;
    await records.set('alerts', 'cpu', 1, { ttl: '1m' });
    subject.db.prepare("UPDATE vigil_records SET version = 'two' WHERE key = 'cpu'").run();
    subject.clock.advance(60_000);
    expect(await records.set('alerts', 'cpu', 2)).toEqual({ key: 'cpu', value: 2, version: 1 });
    expect(await records.set('alerts', 'cpu', 3)).toEqual({ key: 'cpu', value: 3, version: 2 });
  });
});
