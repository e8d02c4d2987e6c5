import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Sqlite = typeof import('../src/index.js');

async function exercise(sqlite: Sqlite): Promise<unknown> {
  const t = Date.UTC(2026, 0, 1);
  await using store = new sqlite.SqliteStore({ path: ':memory:', clock: { now: () => t } });
  await store.timeSeries.append([
    { metric: 'cpu', labels: { host: 'a' }, timestamp: t, value: 1 },
    { metric: 'cpu', labels: { host: 'a' }, timestamp: t + 30_000, value: 3 },
  ]);
  await store.records.set('ns', 'k', { ok: true }, { ttl: '1m' });
  return {
    series: await store.timeSeries.query({ metric: 'cpu', from: t, to: t + 60_000, step: 60_000 }),
    record: await store.records.get('ns', 'k'),
    lease: await store.leases.acquire('leader', 'me', '30s'),
  };
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/storage-sqlite') as Sqlite;
    const esm = (await import('@vigil/storage-sqlite')) as unknown as Sqlite;
    expect(cjs.SqliteStore).not.toBe(esm.SqliteStore);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toEqual(fromEsm);
    expect(fromEsm).toMatchObject({
      series: [{ metric: 'cpu', labels: { host: 'a' }, points: [[Date.UTC(2026, 0, 1), 2]] }],
      record: { key: 'k', value: { ok: true }, version: 1 },
      lease: { name: 'leader', owner: 'me', token: 1 },
    });
  });

  it('throws errors that are VigilErrors of either build', async () => {
    const cjs = require('@vigil/storage-sqlite') as Sqlite;
    const { VigilError } = await import('@vigil/core');
    const store = new cjs.SqliteStore({ path: ':memory:' });
    await store.close();
    const error = await store.records.get('ns', 'k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VigilError);
    expect((error as { code: string }).code).toBe('STORE_UNAVAILABLE');
  });
});
