import { createRequire } from 'node:module';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Registry } from '@vigil/core';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type OtelModule = typeof import('../src/index.js');

async function exercise(lib: OtelModule): Promise<unknown[]> {
  const registry = new Registry({ defaultLabels: { service: 'dual' } });
  registry.counter({ name: 'jobs_total', help: 'Jobs' }).inc(2);
  const { resourceMetrics } = await new lib.VigilMetricProducer({ registry }).collect();
  const shipped = resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints[0]?.value;
  const provider = new MeterProvider({
    readers: [new lib.VigilMetricReader({ registry, targetInfo: false })],
  });
  provider.getMeter('dual').createCounter('otel.jobs').add(3);
  const served = (await registry.metrics()).includes('otel_jobs_total{service="dual"');
  await provider.shutdown();
  const badOption = (() => {
    try {
      new lib.VigilMetricReader({ registry: undefined as never });
      return 'no error';
    } catch (error) {
      return (error as { code: string }).code;
    }
  })();
  const conflict = new lib.OtelMetricConflictError('x', 'm');
  return [
    shipped,
    served,
    badOption,
    conflict instanceof lib.OtelMetricConflictError,
    lib.OTEL_ERROR_CODES,
    typeof lib.traceExemplar(),
  ];
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const fromRequire = require('@vigil/otel') as OtelModule;
    const fromImport = (await import('@vigil/otel')) as unknown as OtelModule;
    const expected = [
      2,
      true,
      'INVALID_OPTION',
      true,
      ['OTEL_METRIC_CONFLICT', 'OTEL_UNSUPPORTED_METRIC'],
      'undefined',
    ];
    expect(await exercise(fromRequire)).toEqual(expected);
    expect(await exercise(fromImport)).toEqual(expected);
  });

  it('brands its errors across the two builds', async () => {
    const fromRequire = require('@vigil/otel') as OtelModule;
    const fromImport = (await import('@vigil/otel')) as unknown as OtelModule;
    const error = new fromRequire.OtelUnsupportedMetricError('x', 'm');
    expect(error instanceof fromImport.OtelUnsupportedMetricError).toBe(true);
    expect(error instanceof fromImport.OtelMetricConflictError).toBe(false);
  });
});
