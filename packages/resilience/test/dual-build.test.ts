import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Resilience = typeof import('../src/index.js');

async function exercise(lib: Resilience): Promise<unknown[]> {
  const breaker = new lib.CircuitBreaker({ failureThreshold: 1, resetTimeout: '1m' });
  const policy = lib.wrap(new lib.Retry({ maxAttempts: 1 }), breaker, new lib.Timeout('1s'));
  const first = await policy.execute(() => 'ok');
  const failed = await policy.execute(() => Promise.reject(new Error('down'))).catch((e) => e);
  const rejected = await policy.execute(() => 'never').catch((e: { code: string }) => e.code);
  return [first, (failed as Error).message, rejected, breaker.state, breaker.toJSON().state];
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/resilience') as Resilience;
    const esm = (await import('@vigil/resilience')) as unknown as Resilience;
    expect(typeof cjs.CircuitBreaker).toBe('function');
    expect(cjs.CircuitBreaker).not.toBe(esm.CircuitBreaker);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toEqual(fromEsm);
    expect(fromEsm).toEqual(['ok', 'down', 'BREAKER_OPEN', 'open', 'open']);
  });

  it("recognises the other build's errors by class: VigilError and the very subclass", async () => {
    const cjs = require('@vigil/resilience') as Resilience;
    const esm = (await import('@vigil/resilience')) as unknown as Resilience;
    const { VigilError } = await import('@vigil/core');
    const error = new cjs.BulkheadFullError(1, 0);
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toBeInstanceOf(esm.BulkheadFullError);
    expect(error).not.toBeInstanceOf(esm.TimeoutError);
    expect(error.code).toBe('BULKHEAD_FULL');
    // Thrown by the CJS build itself, caught by code written against the ESM one.
    const breaker = new cjs.CircuitBreaker({ failureThreshold: 1 });
    breaker.isolate();
    const rejected = await breaker.execute(() => 'never').catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(esm.BreakerOpenError);
    expect(rejected).not.toBeInstanceOf(esm.BulkheadFullError);
    const timedOut = await cjs
      .timeout(() => new Promise(() => {}), 1, { strategy: 'aggressive' })
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(esm.TimeoutError);
    await breaker.close();
  });
});
