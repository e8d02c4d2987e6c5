import { CircuitBreaker } from '@vigil/resilience';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checks, HealthMonitor } from '../../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('checks.circuitBreaker with a real CircuitBreaker', () => {
  it('passes while closed, warns (degraded) when open, half-open or isolated', async () => {
    vi.useFakeTimers();
    const breaker = new CircuitBreaker({
      name: 'partner',
      failureThreshold: 1,
      resetTimeout: '10s',
    });
    const monitor = new HealthMonitor({ cacheFor: 0, checks: [checks.circuitBreaker(breaker)] });
    const closed = await monitor.check();
    expect(closed.status).toBe('healthy');
    expect(closed.checks['breaker:partner']).toMatchObject({
      status: 'pass',
      observedValue: 'closed',
      key: 'partner:circuitBreaker',
      critical: false,
      quick: true,
    });

    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => {});
    const open = await monitor.check();
    expect(open.status).toBe('degraded');
    expect(open.checks['breaker:partner']).toMatchObject({
      status: 'warn',
      observedValue: 'open',
      output: "circuit breaker 'partner' is open: calls are rejected until it half-opens",
    });

    await vi.advanceTimersByTimeAsync(10_000);
    expect((await monitor.check()).checks['breaker:partner']).toMatchObject({
      status: 'warn',
      observedValue: 'half-open',
    });

    breaker.isolate();
    expect((await monitor.check()).checks['breaker:partner']?.observedValue).toBe('isolated');

    breaker.forceClose();
    expect((await monitor.check()).status).toBe('healthy');
    await breaker.close();
  });

  it('needs a name for a breaker that has none', () => {
    const breaker = new CircuitBreaker();
    expect(() => checks.circuitBreaker(breaker)).toThrow(
      'name is required for a breaker without a name',
    );
    const check = checks.circuitBreaker(breaker, { name: 'search' });
    expect(check).toMatchObject({ name: 'search', component: 'search' });
  });

  it('rejects something without a state', () => {
    expect(() => checks.circuitBreaker({} as never)).toThrow('breaker should be a CircuitBreaker');
  });
});
