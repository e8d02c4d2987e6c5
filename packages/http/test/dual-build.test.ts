import { createRequire } from 'node:module';
import { Registry, VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Http = typeof import('../src/index.js');

async function exercise(http: Http): Promise<string> {
  const registry = new Registry({ clock: { now: () => 1_700_000_000_000 } });
  const metrics = new http.HttpMetrics({ registry });
  metrics.end(metrics.start('BREW'), undefined, 404);
  metrics.end(metrics.start('GET'), '/users/:id', 200);
  const router = http.createMonitoringRouter({ registry, prefix: '/_vigil' });
  const response = await router.fetch(new Request('http://app.test/_vigil/metrics'));
  const text = (await response?.text()) ?? '';
  return text.replace(/_sum\{[^}]*\} [\d.e-]+/g, '_sum').replace(/_bucket\{[^}]*\} \d+\n/g, '');
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/http') as Http;
    const esm = (await import('@vigil/http')) as unknown as Http;
    expect(typeof cjs.HttpMetrics).toBe('function');
    expect(cjs.HttpMetrics).not.toBe(esm.HttpMetrics);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toBe(fromEsm);
    expect(fromEsm).toContain(
      'http_server_request_duration_seconds_count{http_request_method="_OTHER",http_route="",http_response_status_code="404",error_type=""} 1',
    );
  });

  it('throws errors that are VigilErrors of either build', async () => {
    const cjs = require('@vigil/http') as Http;
    let thrown: unknown;
    try {
      cjs.createMonitoringRouter({ registry: new Registry(), token: 'short' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect(new cjs.HttpError('HTTP_NOT_FOUND', 'x')).toBeInstanceOf(VigilError);
  });

  it("recognises the other build's HttpError as an HttpError, both ways", async () => {
    const cjs = require('@vigil/http') as Http;
    const esm = (await import('@vigil/http')) as unknown as Http;
    expect(new cjs.HttpError('HTTP_NOT_FOUND', 'x')).toBeInstanceOf(esm.HttpError);
    expect(new esm.HttpError('HTTP_NOT_FOUND', 'x')).toBeInstanceOf(cjs.HttpError);
    expect(cjs.HTTP_ERROR_CODES).toEqual(esm.HTTP_ERROR_CODES);
    // The other build's 404 goes out as a 404, not as a 500.
    const router = esm.createMonitoringRouter({ registry: new Registry() });
    router.route('GET', '/missing', () => {
      throw new cjs.HttpError('HTTP_NOT_FOUND', 'no such thing');
    });
    const response = await router.fetch(new Request('http://app.test/missing'));
    expect(response?.status).toBe(404);
  });
});
