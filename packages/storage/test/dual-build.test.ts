import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets the .cjs files, `import` the .js
// files, for the main entry and the ./adapter subpath. ./testing is imported only: it imports
// vitest, which refuses to be require()d inside a vitest run; its .cjs build is checked to resolve.
// Run after `pnpm build`.
const require = createRequire(import.meta.url);
type Storage = typeof import('../src/index.js');
type Adapter = typeof import('../src/adapter/index.js');
type Testing = typeof import('../src/testing/index.js');

async function exercise(storage: Storage): Promise<unknown> {
  const testing = (await import('@vigil/storage/testing')) as unknown as Testing;
  const clock = testing.manualClock();
  const store = new storage.MemoryStore({ clock, retention: false });
  await store.records.set('ns', 'k', { a: 1 }, { ttl: '1m' });
  await store.timeSeries.append([
    { metric: 'm', labels: { b: '2', a: '1' }, timestamp: clock.now(), value: 3 },
  ]);
  const lease = await store.leases.acquire('leader', 'me', '30s');
  const answer = {
    record: await store.records.get('ns', 'k'),
    series: await store.timeSeries.query({
      metric: 'm',
      from: clock.now(),
      to: clock.now() + 60_000,
      step: 60_000,
    }),
    lease,
  };
  await store.close();
  return answer;
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/storage') as Storage;
    const esm = (await import('@vigil/storage')) as unknown as Storage;
    expect(require.resolve('@vigil/storage/testing')).toMatch(/testing[/\\]index\.cjs$/);
    expect(cjs.MemoryStore).not.toBe(esm.MemoryStore);
    expect(cjs.ROLLUP_RESOLUTIONS).toEqual([60_000, 3_600_000]);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toEqual(fromEsm);
    expect(fromEsm).toMatchObject({ record: { value: { a: 1 }, version: 1 } });
  });

  it('exports the adapter helpers from ./adapter in both formats', async () => {
    const cjs = require('@vigil/storage/adapter') as Adapter;
    const esm = (await import('@vigil/storage/adapter')) as unknown as Adapter;
    for (const adapter of [cjs, esm]) {
      expect(adapter.seriesKey({ b: '1', a: '2' })).toBe('{"a":"2","b":"1"}');
      expect(adapter.rollupFor(120_000, [60_000, 3_600_000])).toBe(60_000);
      expect(typeof adapter.startSweeper).toBe('function');
    }
  });

  it('recognises a StoreError across the two builds; the memory test hook works across them', async () => {
    const cjs = require('@vigil/storage') as Storage;
    const esm = (await import('@vigil/storage')) as unknown as Storage;
    const { VigilError } = (await import('@vigil/core')) as typeof import('@vigil/core');
    const store = new cjs.MemoryStore();
    const error = await store.records.get('', 'k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toBeInstanceOf(cjs.StoreError);
    // The class's own brand: an error of one build (or installed copy) is an instance of the other's.
    expect(error).toBeInstanceOf(esm.StoreError);
    expect(error).toMatchObject({ code: 'STORE_INVALID_ARGUMENT', name: 'StoreError' });
    const esmTesting = (await import('@vigil/storage/testing')) as unknown as Testing;
    await store.records.set('ns', 'k', 1);
    await esmTesting.corruptMemoryStore(store).record('ns', 'k');
    await expect(store.records.get('ns', 'k')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await store.close();
    expect(esm.StoreError).not.toBe(cjs.StoreError);
  });
});
