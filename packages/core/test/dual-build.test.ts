import { createRequire } from 'node:module';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Core = typeof import('../src/index.js');

async function exercise(core: Core): Promise<string> {
  const registry = new core.Registry({
    defaultLabels: { service: 'api' },
    clock: { now: () => 1_700_000_000_000 },
  });
  const requests = registry.counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['method', 'status'],
  });
  requests.inc({ method: 'GET', status: '200' });
  requests.labels({ method: 'POST', status: '500' }).inc(2);
  registry.histogram({ name: 'job_duration_seconds', help: 'Jobs.' }).observe(0.2);
  registry.summary({ name: 'query_seconds', help: 'Queries.', quantiles: [0.5] }).observe(0.3);
  return registry.metrics({ format: 'openmetrics' });
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/core') as Core;
    const esm = (await import('@vigil/core')) as unknown as Core;
    expect(typeof cjs.Registry).toBe('function');
    expect(cjs.Registry).not.toBe(esm.Registry);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toBe(fromEsm);
    expect(fromEsm).toContain('http_requests_total{service="api",method="POST",status="500"} 2');
  });

  it('recognises a VigilError from the other build', () => {
    const cjs = require('@vigil/core') as Core;
    let thrown: unknown;
    try {
      cjs.parseDuration('soon');
    } catch (error) {
      thrown = error;
    }
    return import('@vigil/core').then((esm) => {
      expect(thrown).toBeInstanceOf((esm as unknown as Core).VigilError);
      expect((thrown as InstanceType<Core['VigilError']>).code).toBe('INVALID_DURATION');
    });
  });

  it('recognises each error subclass from the other build', async () => {
    const cjs = require('@vigil/core') as Core;
    const esm = (await import('@vigil/core')) as unknown as Core;
    const thrown = caught(() => new cjs.Registry({ prefx: 'x' } as never));
    expect(thrown).toBeInstanceOf(esm.ConfigurationError);
    expect(thrown).not.toBeInstanceOf(esm.MetricConflictError);
    const conflict = new esm.MetricConflictError('two');
    expect(conflict).toBeInstanceOf(cjs.MetricConflictError);
    expect(conflict).toBeInstanceOf(cjs.VigilError);
  });

  it('serves the options and testing subpaths through require and import', async () => {
    const cjsOptions = require('@vigil/core/options') as typeof import('../src/options/index.js');
    const esmOptions = await import('@vigil/core/options');
    expect(() => cjsOptions.checkOptionsObject('X', { y: 1 }, [])).toThrow(
      (await import('@vigil/core')).ConfigurationError,
    );
    expect(typeof esmOptions.optionalDuration).toBe('function');
    const cjsTesting = require('@vigil/core/testing') as typeof import('../src/testing/index.js');
    const esmTesting = await import('@vigil/core/testing');
    expect(cjsTesting.manualClock().now()).toBe(esmTesting.MANUAL_CLOCK_EPOCH);
  });
});
