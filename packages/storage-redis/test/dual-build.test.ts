import { createRequire } from 'node:module';
import { VigilError } from '@vigil/core';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { dropPrefix, uniquePrefix } from './redis-test-data.js';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Package = typeof import('../src/index.js');
const url = inject('redisUrl');

async function exercise(pkg: Package, keyPrefix: string): Promise<unknown[]> {
  const store = new pkg.RedisStore({ url, keyPrefix, clock: { now: () => 1_700_000_000_000 } });
  try {
    const record = await store.records.set('ns', 'k', { n: 1 }, { ttl: '1m' });
    const lease = await store.leases.acquire('leader', 'a', '1m');
    await store.timeSeries.append([
      { metric: 'm', labels: { a: '1' }, timestamp: 60_000, value: 2 },
    ]);
    const series = await store.timeSeries.query({
      metric: 'm',
      from: 0,
      to: 120_000,
      step: 60_000,
    });
    const failure = await store.records.get('', 'k').catch((error: unknown) => error);
    return [record, lease, series, failure];
  } finally {
    await store.close();
  }
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/storage-redis') as Package;
    const esm = (await import('@vigil/storage-redis')) as unknown as Package;
    expect(typeof cjs.RedisStore).toBe('function');
    expect(cjs.RedisStore).not.toBe(esm.RedisStore);
    const prefixes = [uniquePrefix(), uniquePrefix()];
    const [fromCjs, fromEsm] = await Promise.all([
      exercise(cjs, prefixes[0] as string),
      exercise(esm, prefixes[1] as string),
    ]);
    expect(fromCjs.slice(0, 3)).toEqual(fromEsm.slice(0, 3));
    expect(fromEsm[0]).toEqual({
      key: 'k',
      value: { n: 1 },
      version: 1,
      expiresAt: 1_700_000_060_000,
    });
    // A StoreError of either build is a VigilError of this one.
    for (const failure of [fromCjs[3], fromEsm[3]]) {
      expect(failure).toBeInstanceOf(VigilError);
      expect((failure as VigilError).code).toBe('STORE_INVALID_ARGUMENT');
    }
    const raw = new Redis(url);
    for (const prefix of prefixes) await dropPrefix(raw, prefix);
    await raw.quit();
  });
});
