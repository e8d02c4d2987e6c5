import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Health = typeof import('../src/index.js');

async function exercise(lib: Health): Promise<unknown> {
  const monitor = new lib.HealthMonitor({
    clock: { now: () => Date.UTC(2025, 0, 1) },
    version: '1.0.0',
    checks: [
      lib.checks.custom('db', () => ({ status: 'pass', observedValue: 2, observedUnit: 'ms' })),
      lib.checks.custom('cache', () => false, { critical: false, quick: true }),
      lib.checks.circuitBreaker({ name: 'partner', state: 'open' }),
    ],
  });
  const report = await monitor.check();
  const ready = await monitor.ready();
  monitor.beginShutdown();
  const draining = await monitor.ready();
  await monitor.close();
  const closed = await monitor.check().catch((error: { code: string }) => error.code);
  const rendered = lib.renderHealthJson({ ...report, uptime: 1 });
  return [report.status, report.score, ready.status, draining.output, closed, rendered];
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/health') as Health;
    const esm = (await import('@vigil/health')) as unknown as Health;
    expect(typeof cjs.HealthMonitor).toBe('function');
    expect(cjs.HealthMonitor).not.toBe(esm.HealthMonitor);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toEqual(fromEsm);
    expect((fromEsm as unknown[]).slice(0, 5)).toEqual([
      'degraded',
      50,
      'pass',
      'shutting down',
      'HEALTH_CLOSED',
    ]);
    expect((fromEsm as unknown[])[5]).toMatchObject({
      contentType: 'application/health+json',
      status: 200,
      body: { status: 'warn', version: '1.0.0', score: 50 },
    });
  });

  it("recognises the other build's errors as instances of the same classes", async () => {
    const cjs = require('@vigil/health') as Health;
    const esm = (await import('@vigil/health')) as unknown as Health;
    const { VigilError } = await import('@vigil/core');
    for (const [lib, other] of [
      [cjs, esm],
      [esm, cjs],
    ] as const) {
      const closed = new lib.HealthClosedError();
      expect(closed).toBeInstanceOf(VigilError);
      expect(closed).toBeInstanceOf(other.HealthClosedError);
      expect(closed).not.toBeInstanceOf(other.HealthCheckTimeoutError);
      const timeout = new lib.HealthCheckTimeoutError('db', 5);
      expect(timeout).toBeInstanceOf(other.HealthCheckTimeoutError);
      expect(timeout).not.toBeInstanceOf(other.HealthClosedError);
    }
    expect(cjs.HEALTH_ERROR_CODES).toEqual(esm.HEALTH_ERROR_CODES);
  });
});
