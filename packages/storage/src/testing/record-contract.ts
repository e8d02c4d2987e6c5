import { expect } from 'vitest';
import type { StoredRecord } from '../record-store.js';
import type { ContractContext } from './contract-context.js';

const NS = 'contract';

/** `RecordStore`: get/set/versions, compareAndSet, TTL, delete, list paging, namespaces. */
export function recordContract({ subject, test }: ContractContext): void {
  test('records: get of a missing key is undefined', async () => {
    expect(await subject().store.records.get(NS, 'missing')).toBeUndefined();
  });

  test('records: set stores any JSON value, versions start at 1 and grow by 1', async () => {
    const { records } = subject().store;
    const value = { name: 'ü "quoted"', list: [1, 2.5, null, true], nested: { empty: {} } };
    expect(await records.set(NS, 'a', value)).toEqual({ key: 'a', value, version: 1 });
    expect(await records.get(NS, 'a')).toEqual({ key: 'a', value, version: 1 });
    expect(await records.set(NS, 'a', 'two')).toEqual({ key: 'a', value: 'two', version: 2 });
    expect(await records.set(NS, 'a', 3)).toMatchObject({ version: 3 });
    for (const scalar of [null, false, 0, '', [], 'text']) {
      await records.set(NS, 'scalar', scalar);
      expect((await records.get(NS, 'scalar'))?.value).toEqual(scalar);
    }
  });

  test('records: a value is copied, not referenced', async () => {
    const { records } = subject().store;
    const value = { count: 1 };
    await records.set(NS, 'copy', value);
    value.count = 2;
    const read = await records.get<{ count: number }>(NS, 'copy');
    expect(read?.value).toEqual({ count: 1 });
    (read?.value as { count: number }).count = 3;
    expect((await records.get(NS, 'copy'))?.value).toEqual({ count: 1 });
  });

  test('records: compareAndSet writes only at the expected version (0: must not exist)', async () => {
    const { records } = subject().store;
    expect(await records.compareAndSet(NS, 'k', 0, 'first')).toEqual({
      key: 'k',
      value: 'first',
      version: 1,
    });
    expect(await records.compareAndSet(NS, 'k', 0, 'again')).toBeUndefined();
    expect(await records.compareAndSet(NS, 'k', 2, 'ahead')).toBeUndefined();
    expect(await records.compareAndSet(NS, 'k', 1, 'second')).toMatchObject({ version: 2 });
    expect(await records.compareAndSet(NS, 'k', 1, 'stale')).toBeUndefined();
    expect(await records.get(NS, 'k')).toEqual({ key: 'k', value: 'second', version: 2 });
    expect(await records.compareAndSet(NS, 'other', 1, 'x')).toBeUndefined();
    expect(await records.get(NS, 'other')).toBeUndefined();
  });

  test('records: a TTL expires on the store clock (live while now < expiresAt)', async () => {
    const { store, clock } = subject();
    const start = clock.now();
    expect(await store.records.set(NS, 'ttl', 'v', { ttl: '10s' })).toEqual({
      key: 'ttl',
      value: 'v',
      version: 1,
      expiresAt: start + 10_000,
    });
    clock.advance(9_999);
    expect(await store.records.get(NS, 'ttl')).toMatchObject({ expiresAt: start + 10_000 });
    expect((await store.records.list(NS, '')).records).toHaveLength(1);
    clock.advance(1);
    expect(await store.records.get(NS, 'ttl')).toBeUndefined();
    expect((await store.records.list(NS, '')).records).toEqual([]);
    expect(await store.records.delete(NS, 'ttl')).toBe(false);
  });

  test('records: an expired key is gone as if deleted (versions restart at 1)', async () => {
    const { store, clock } = subject();
    await store.records.set(NS, 'a', 1, { ttl: 1_000 });
    await store.records.set(NS, 'a', 2, { ttl: 1_000 });
    await store.records.set(NS, 'b', 1, { ttl: 1_000 });
    clock.advance(1_000);
    expect(await store.records.compareAndSet(NS, 'a', 2, 'stale')).toBeUndefined();
    expect(await store.records.compareAndSet(NS, 'a', 0, 'fresh')).toEqual({
      key: 'a',
      value: 'fresh',
      version: 1,
    });
    expect(await store.records.set(NS, 'b', 'fresh')).toEqual({
      key: 'b',
      value: 'fresh',
      version: 1,
    });
  });

  test('records: a write without ttl clears an earlier TTL; compareAndSet takes a ttl', async () => {
    const { store, clock } = subject();
    await store.records.set(NS, 'k', 1, { ttl: '1s' });
    expect(await store.records.set(NS, 'k', 2)).toEqual({ key: 'k', value: 2, version: 2 });
    const cas = await store.records.compareAndSet(NS, 'c', 0, 'x', { ttl: '5s' });
    expect(cas?.expiresAt).toBe(clock.now() + 5_000);
    clock.advance(5_000);
    expect(await store.records.get(NS, 'k')).toEqual({ key: 'k', value: 2, version: 2 });
    expect(await store.records.get(NS, 'c')).toBeUndefined();
  });

  test('records: delete answers whether a live record went; versions restart after it', async () => {
    const { records } = subject().store;
    await records.set(NS, 'd', 'v');
    await records.set(NS, 'd', 'v2');
    expect(await records.delete(NS, 'd')).toBe(true);
    expect(await records.get(NS, 'd')).toBeUndefined();
    expect(await records.delete(NS, 'd')).toBe(false);
    expect(await records.set(NS, 'd', 'again')).toMatchObject({ version: 1 });
  });

  test('records: list returns live records with the prefix, in increasing key order', async () => {
    const { records } = subject().store;
    for (const key of ['job:2', 'job:10', 'alert:1', 'job:1', 'jobs', 'job:3']) {
      await records.set(NS, key, key.toUpperCase());
    }
    const page = await records.list(NS, 'job:');
    expect(page.records.map((r) => r.key)).toEqual(['job:1', 'job:10', 'job:2', 'job:3']);
    expect(page.records[0]).toEqual({ key: 'job:1', value: 'JOB:1', version: 1 });
    expect(page.cursor).toBeUndefined();
    const all = await records.list(NS, '');
    expect(all.records.map((r) => r.key)).toEqual([
      'alert:1',
      'job:1',
      'job:10',
      'job:2',
      'job:3',
      'jobs',
    ]);
    expect((await records.list(NS, 'nothing')).records).toEqual([]);
    expect((await records.list('empty-namespace', '')).records).toEqual([]);
  });

  test('records: list pages with limit and cursor; the last page has no cursor', async () => {
    const { records } = subject().store;
    for (const n of [5, 3, 1, 4, 2]) await records.set(NS, `k${n}`, n);
    const keys = async (limit: number) => {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await records.list(
          NS,
          'k',
          cursor === undefined ? { limit } : { limit, cursor },
        );
        pages.push(page.records.map((r) => r.key));
        cursor = page.cursor;
        expect(pages.length).toBeLessThan(10);
      } while (cursor !== undefined);
      return pages;
    };
    expect(await keys(2)).toEqual([['k1', 'k2'], ['k3', 'k4'], ['k5']]);
    await records.delete(NS, 'k5');
    expect(await keys(2)).toEqual([
      ['k1', 'k2'],
      ['k3', 'k4'],
    ]);
    expect(await keys(10)).toEqual([['k1', 'k2', 'k3', 'k4']]);
  });

  test('records: list skips expired records when paging, and its default limit is 100', async () => {
    const { store, clock } = subject();
    for (let i = 0; i < 105; i++) {
      await store.records.set(
        NS,
        `p${String(i).padStart(3, '0')}`,
        i,
        i % 2 === 0 ? {} : { ttl: '1m' },
      );
    }
    const first = await store.records.list(NS, 'p');
    expect(first.records).toHaveLength(100);
    expect(first.cursor).toBeDefined();
    const rest = await store.records.list(NS, 'p', { cursor: first.cursor as string });
    expect(rest.records.map((r: StoredRecord) => r.value)).toEqual([100, 101, 102, 103, 104]);
    clock.advance(60_000);
    const live = await store.records.list<number>(NS, 'p', { limit: 20 });
    expect(live.records.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    const next = await store.records.list<number>(NS, 'p', {
      limit: 100,
      cursor: live.cursor as string,
    });
    expect(next.records.map((r) => r.value)).toEqual(
      Array.from({ length: 33 }, (_, i) => 40 + i * 2),
    );
    expect(next.cursor).toBeUndefined();
  });

  test('records: namespaces are isolated', async () => {
    const { records } = subject().store;
    await records.set('a', 'key', 'in a');
    await records.set('a', 'key', 'in a, twice');
    await records.set('b', 'key', 'in b');
    expect(await records.get('a', 'key')).toEqual({ key: 'key', value: 'in a, twice', version: 2 });
    expect(await records.get('b', 'key')).toEqual({ key: 'key', value: 'in b', version: 1 });
    expect((await records.list('b', '')).records.map((r) => r.value)).toEqual(['in b']);
    expect(await records.delete('a', 'key')).toBe(true);
    expect(await records.get('b', 'key')).toMatchObject({ value: 'in b' });
    // Namespace and key never run together: ('x:y', 'z') and ('x', 'y:z') are two records.
    await records.set('x:y', 'z', 'first');
    expect(await records.compareAndSet('x', 'y:z', 0, 'second')).toMatchObject({ version: 1 });
    expect((await records.get('x:y', 'z'))?.value).toBe('first');
    expect((await records.list('x', '')).records.map((r) => r.key)).toEqual(['y:z']);
  });
}
