import { expectStoreError } from '@vigil/storage/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
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
