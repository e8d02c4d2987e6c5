import { createRequire } from 'node:module';
import { VigilError } from '@vigil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { dropSchema, postgresUrl, uniqueSchema } from './support/postgres.js';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Package = typeof import('../src/index.js');
const schemas: string[] = [];

afterEach(async () => {
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

async function exercise(pkg: Package): Promise<unknown> {
  const schema = uniqueSchema();
  schemas.push(schema);
  const clock = { now: () => Date.UTC(2026, 0, 1) };
  const store = new pkg.PostgresStore({ url: postgresUrl(), schema, clock });
  try {
    await store.records.set('ns', 'k', { built: true });
    const lease = await store.leases.acquire('leader', 'a', '1m');
    await store.timeSeries.append([
      { metric: 'up', labels: { host: 'a' }, timestamp: clock.now(), value: 1 },
    ]);
    const series = await store.timeSeries.query({
      metric: 'up',
      from: clock.now(),
      to: clock.now() + 60_000,
      step: 60_000,
    });
    return { record: await store.records.get('ns', 'k'), lease, series };
  } finally {
    await store.close();
  }
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/storage-postgres') as Package;
    const esm = (await import('@vigil/storage-postgres')) as unknown as Package;
    expect(cjs.PostgresStore).not.toBe(esm.PostgresStore);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toEqual(fromEsm);
    expect(fromEsm).toMatchObject({ record: { value: { built: true }, version: 1 } });
  });

  it('throws errors that are VigilErrors whichever build threw them', () => {
    const cjs = require('@vigil/storage-postgres') as Package;
    let thrown: unknown;
    try {
      new cjs.PostgresStore({ url: postgresUrl(), schema: 'no spaces' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect((thrown as VigilError).code).toBe('INVALID_OPTION');
  });
});
