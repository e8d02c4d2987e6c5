import { createRequire } from 'node:module';
import { Registry, VigilError } from '@vigil/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Plugin = typeof import('../src/index.js');

/** Serves one request through the plugin on 127.0.0.1 and answers the exposition. */
async function exercise(plugin: Plugin): Promise<string> {
  const registry = new Registry();
  const app = Fastify();
  await app.register(plugin.vigil, { registry, prefix: '/_vigil' });
  app.get('/users/:id', async () => 'user');
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await fetch(`${url}/users/7`);
    const text = await (await fetch(`${url}/_vigil/metrics`)).text();
    return text.replace(/_sum\{[^}]*\} [\d.e-]+/g, '_sum').replace(/_bucket\{[^}]*\} \d+\n/g, '');
  } finally {
    await app.close();
  }
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/fastify') as Plugin;
    const esm = (await import('@vigil/fastify')) as unknown as Plugin;
    expect(typeof cjs.vigil).toBe('function');
    expect(cjs.vigil).not.toBe(esm.vigil);
    const fromCjs = await exercise(cjs);
    const fromEsm = await exercise(esm);
    expect(fromCjs).toBe(fromEsm);
    expect(fromEsm).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/users/:id",http_response_status_code="200",error_type=""} 1',
    );
  });

  it('sees a registration by the other build, and throws VigilErrors', async () => {
    const cjs = require('@vigil/fastify') as Plugin;
    const esm = (await import('@vigil/fastify')) as unknown as Plugin;
    const app = Fastify();
    await app.register(cjs.vigil, { registry: new Registry() });
    const error = await app.register(esm.vigil, { registry: new Registry() }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(VigilError);
    // Each build's class recognises the other's error: the class carries its own brand.
    expect(error).toBeInstanceOf(esm.VigilFastifyError);
    expect(error).toBeInstanceOf(cjs.VigilFastifyError);
    expect(error).toMatchObject({ code: 'FASTIFY_ALREADY_REGISTERED' });
    expect(cjs.FASTIFY_ERROR_CODES).toEqual(['FASTIFY_ALREADY_REGISTERED']);
    await app.close();
  });
});
