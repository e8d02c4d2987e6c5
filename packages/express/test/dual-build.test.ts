import { createRequire } from 'node:module';
import { Registry, VigilError } from '@vigil/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { requestSeries } from './support/series.js';
import { closeAll, serve } from './support/serve.js';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Adapter = typeof import('../src/index.js');

afterEach(closeAll);

async function exercise(adapter: Adapter): Promise<ReturnType<typeof requestSeries>> {
  const registry = new Registry();
  const app = express();
  app.use(adapter.vigil({ registry }));
  const api = express.Router();
  api.get('/users/:id', (_req, res) => void res.send('user'));
  api.get('/fail', () => {
    throw new TypeError('fail');
  });
  app.use('/api', api);
  app.use(adapter.vigilErrors());
  app.set('env', 'test');
  const { url } = await serve(app);
  for (const path of ['/api/users/1', '/api/users/2', '/api/fail', '/nowhere', '/metrics']) {
    await (await fetch(`${url}${path}`)).arrayBuffer();
  }
  return requestSeries(registry);
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/express') as Adapter;
    const esm = (await import('@vigil/express')) as unknown as Adapter;
    expect(typeof cjs.vigil).toBe('function');
    expect(cjs.vigil).not.toBe(esm.vigil);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toEqual(fromEsm);
    expect(fromEsm).toEqual([
      { method: 'GET', route: '/api/users/:id', status: '200', errorType: '', count: 2 },
      { method: 'GET', route: '/api/fail', status: '500', errorType: 'TypeError', count: 1 },
      { method: 'GET', route: '', status: '404', errorType: '', count: 1 },
    ]);
  });

  it('throws VigilErrors from either build', () => {
    const cjs = require('@vigil/express') as Adapter;
    expect(() => cjs.vigil({ registry: new Registry(), serverTiming: 1 as never })).toThrow(
      VigilError,
    );
  });
});
