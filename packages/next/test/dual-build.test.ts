import { createRequire } from 'node:module';
import { Registry, VigilError } from '@vigil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resetGlobals } from './support/reset.js';
import { requestLabels, sample } from './support/sample.js';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Next = typeof import('../src/index.js');

afterEach(() => {
  resetGlobals();
});

async function exercise(next: Next): Promise<string> {
  const registry = next.setRegistry(new Registry());
  const handler = next.withVigil(() => new Response('ok'), { route: '/api/users/[id]' });
  await handler(new Request('http://app.test/api/users/1'));
  const { GET } = next.metricsRoute();
  const text = await (await GET(new Request('http://app.test/api/metrics'))).text();
  expect(next.getRegistry()).toBe(registry);
  return text.replace(/_sum\{[^}]*\} [\d.e-]+/g, '_sum').replace(/_bucket\{[^}]*\} \d+\n/g, '');
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/next') as Next;
    const esm = (await import('@vigil/next')) as unknown as Next;
    expect(typeof cjs.withVigil).toBe('function');
    expect(cjs.withVigil).not.toBe(esm.withVigil);
    const fromCjs = await exercise(cjs);
    const fromEsm = await exercise(esm);
    expect(fromCjs).toBe(fromEsm);
    expect(
      sample(
        fromEsm,
        'http_server_request_duration_seconds_count',
        requestLabels('GET', '/api/users/[id]', '200'),
      ),
    ).toBe(1);
  });

  it('shares the registry and monitor between two copies, as between Next.js bundles', async () => {
    const cjs = require('@vigil/next') as Next;
    const esm = (await import('@vigil/next')) as unknown as Next;
    const registry = cjs.setRegistry(new Registry());
    expect(esm.getRegistry()).toBe(registry);
    // A handler of one copy records where the metrics route of the other reads.
    await esm.withVigil(() => new Response('ok'), { route: '/api/a' })(
      new Request('http://app.test/api/a'),
    );
    const text = await (
      await cjs.metricsRoute().GET(new Request('http://app.test/api/metrics'))
    ).text();
    expect(
      sample(
        text,
        'http_server_request_duration_seconds_count',
        requestLabels('GET', '/api/a', '200'),
      ),
    ).toBe(1);
  });

  it('throws errors that are VigilErrors of either build', () => {
    const cjs = require('@vigil/next') as Next;
    let thrown: unknown;
    try {
      cjs.withVigil(() => new Response(), { route: 'users' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
  });
});
