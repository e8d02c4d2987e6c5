import { type Counter, type Gauge, type Histogram, Registry } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, TimeoutError } from '../../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function metricsOf(registry: Registry) {
  return {
    calls: registry.get('vigil_breaker_calls_total') as Counter<'breaker' | 'outcome'>,
    state: registry.get('vigil_breaker_state') as Gauge<'breaker'>,
    duration: registry.get('vigil_breaker_call_duration_seconds') as Histogram<'breaker'>,
  };
}

describe('CircuitBreaker metrics', () => {
  it('counts calls by outcome, observes durations and tracks the state', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const breaker = new CircuitBreaker({
      name: 'partner',
      registry,
      failureThreshold: 2,
      resetTimeout: 1000,
      shouldHandle: (error) => !(error instanceof TypeError),
    });
    const { calls, state, duration } = metricsOf(registry);
    expect(state.get({ breaker: 'partner' })).toBe(0);

    const slow = breaker.execute(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return 'ok';
    });
    await vi.advanceTimersByTimeAsync(300);
    await slow;
    await breaker.execute(() => Promise.reject(new TypeError('ignored'))).catch(() => 0);
    await breaker.execute(() => Promise.reject(new TimeoutError(50))).catch(() => 0);
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => 0);
    expect(state.get({ breaker: 'partner' })).toBe(2);
    await breaker.execute(() => 'never').catch(() => 0);

    const count = (outcome: string) => calls.get({ breaker: 'partner', outcome });
    expect(count('success')).toBe(1);
    expect(count('ignored')).toBe(1);
    expect(count('timeout')).toBe(1);
    expect(count('failure')).toBe(1);
    expect(count('rejected')).toBe(1);
    expect(count('fallback')).toBe(0);
    const observed = duration.get({ breaker: 'partner' });
    expect(observed?.count).toBe(4);
    expect(observed?.sum).toBeCloseTo(0.3);

    await vi.advanceTimersByTimeAsync(1000);
    expect(state.get({ breaker: 'partner' })).toBe(1);
    breaker.isolate();
    expect(state.get({ breaker: 'partner' })).toBe(3);
  });

  it('counts fallbacks in addition to the failure or rejection they answered', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const breaker = new CircuitBreaker({
      name: 'cache',
      registry,
      failureThreshold: 1,
      fallback: () => 'stale',
    });
    await breaker.execute(() => Promise.reject(new Error('down')));
    await breaker.execute(() => 'fresh');
    const { calls } = metricsOf(registry);
    expect(calls.get({ breaker: 'cache', outcome: 'failure' })).toBe(1);
    expect(calls.get({ breaker: 'cache', outcome: 'rejected' })).toBe(1);
    expect(calls.get({ breaker: 'cache', outcome: 'fallback' })).toBe(2);
  });

  it('shares one family between breakers, one series per breaker name', async () => {
    const registry = new Registry();
    const a = new CircuitBreaker({ name: 'a', registry });
    const b = new CircuitBreaker({
      name: 'b',
      registry,
      initialState: { version: 1, state: 'isolated' },
    });
    await a.execute(() => 1);
    const text = await registry.metrics();
    expect(text).toContain('vigil_breaker_calls_total{breaker="a",outcome="success"} 1');
    expect(text).toContain('vigil_breaker_state{breaker="a"} 0');
    expect(text).toContain('vigil_breaker_state{breaker="b"} 3');
    expect(text).toContain('# TYPE vigil_breaker_call_duration_seconds histogram');
    expect(b.state).toBe('isolated');
  });
});
