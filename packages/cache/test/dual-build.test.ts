import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type CacheModule = typeof import('../src/index.js');

async function exercise(lib: CacheModule): Promise<unknown[]> {
  const cache = new lib.Cache<number>({ name: 'dual', max: 10 });
  const loaded = await cache.getOrSet('a', () => 1);
  const again = await cache.getOrSet('a', () => 2);
  const badKey = (() => {
    try {
      cache.set('', 1);
      return 'no error';
    } catch (error) {
      return error instanceof lib.CacheKeyError ? (error as { code: string }).code : 'other';
    }
  })();
  return [loaded, again, badKey, cache.stats().hits];
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const fromRequire = require('@vigil/cache') as CacheModule;
    const fromImport = (await import('@vigil/cache')) as unknown as CacheModule;
    const expected = [1, 1, 'CACHE_INVALID_KEY', 1];
    expect(await exercise(fromRequire)).toEqual(expected);
    expect(await exercise(fromImport)).toEqual(expected);
  });
});
