import { createRequire } from 'node:module';
import { Registry } from '@vigil/core';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Timers = typeof import('../src/index.js');

async function exercise(timers: Timers): Promise<string> {
  const registry = new Registry({ clock: { now: () => 1_700_000_000_000 } });
  const latency = registry.histogram({
    name: 'job_duration_seconds',
    help: 'Jobs.',
    labelNames: ['job', 'result'],
  });
  const header = timers.timingScope(() => {
    timers.timer(latency, { job: 'report' }).fail().end();
    timers.measure(latency, { job: 'export' }, () => 1);
    timers.createTimers(registry).db('select', 'users', 'SELECT 1').end();
    return timers.serverTiming().replace(/dur=[\d.]+/g, 'dur=x');
  });
  const text = (await registry.metrics()).replace(/_sum\{[^}]*\} [\d.e-]+/g, '_sum');
  return `${header}\n${text}\n${timers.fingerprintSql("SELECT 'a', 1")}`;
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/timers') as Timers;
    const esm = (await import('@vigil/timers')) as unknown as Timers;
    expect(typeof cjs.timer).toBe('function');
    expect(cjs.timer).not.toBe(esm.timer);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toBe(fromEsm);
    expect(fromEsm).toContain('job_duration_seconds_count{job="report",result="error"} 1');
    expect(fromEsm).toContain('job_duration_seconds;dur=x, db;dur=x');
  });

  it('throws a TimersError that is a VigilError and a TimersError of either build', async () => {
    const cjs = require('@vigil/timers') as Timers;
    const esm = (await import('@vigil/timers')) as unknown as Timers;
    const core = await import('@vigil/core');
    let thrown: unknown;
    try {
      cjs.timer({} as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(core.VigilError);
    expect(thrown).toBeInstanceOf(cjs.TimersError);
    expect(thrown).toBeInstanceOf(esm.TimersError);
    expect(esm.TimersError).not.toBe(cjs.TimersError);
    expect(thrown).toMatchObject({ code: 'TIMERS_INVALID_METRIC' });
  });
});
