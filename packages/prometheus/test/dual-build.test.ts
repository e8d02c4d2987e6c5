import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type PrometheusModule = typeof import('../src/index.js');
type CoreModule = typeof import('@vigil/core');

async function exercise(lib: PrometheusModule, core: CoreModule): Promise<unknown[]> {
  const registry = new core.Registry();
  registry.counter({ name: 'dual_total', help: 'Dual.' }).inc(2);
  const series = lib.classicSeries(registry.snapshot(), { timestamp: 1 });
  const body = lib.encodeWriteRequest({ timeseries: series });
  const decoded = lib.decodeWriteRequest(body).timeseries[0]?.samples[0]?.value;
  const badOption = (() => {
    try {
      new lib.Pushgateway({ url: 'ftp://x', job: 'j', registry });
      return 'no error';
    } catch (error) {
      return (error as { code: string }).code;
    }
  })();
  const closed = new lib.AggregationClosedError('closed');
  return [decoded, badOption, closed instanceof core.VigilError, lib.PROMETHEUS_ERROR_CODES.length];
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const fromRequire = require('@vigil/prometheus') as PrometheusModule;
    const coreRequire = require('@vigil/core') as CoreModule;
    const fromImport = (await import('@vigil/prometheus')) as unknown as PrometheusModule;
    const coreImport = (await import('@vigil/core')) as unknown as CoreModule;
    const expected = [2, 'INVALID_OPTION', true, 3];
    expect(await exercise(fromRequire, coreRequire)).toEqual(expected);
    expect(await exercise(fromImport, coreImport)).toEqual(expected);
  });

  it('serves the merge alone at @vigil/prometheus/merge, without loading the clients', async () => {
    const merge = require('@vigil/prometheus/merge') as typeof import('../src/merge.js');
    const imported = (await import('@vigil/prometheus/merge')) as typeof import('../src/merge.js');
    for (const lib of [merge, imported]) {
      const snapshot = lib.readSnapshot({ version: 1, timestamp: 0, metrics: [] });
      expect(lib.mergeSnapshots([{ worker: '1', snapshot }]).snapshot.metrics).toEqual([]);
    }
    // protobufjs is what the Pushgateway and remote write clients load; the merge does not.
    const { readFileSync } = await import('node:fs');
    const built = readFileSync(require.resolve('@vigil/prometheus/merge'), 'utf8');
    expect(built).not.toMatch(/protobufjs|snappyjs/);
  });
});
