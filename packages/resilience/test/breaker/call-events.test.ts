import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, TimeoutError } from '../../src/index.js';
import { boom, failTimes, ok, transitions } from '../support/breaker.js';

// What a breaker reports about each call (events), and how durations count (slow calls).

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('CircuitBreaker call events', () => {
  it('emits success and failure with their durations', async () => {
    const breaker = new CircuitBreaker();
    const success = vi.fn();
    const failure = vi.fn();
    breaker.on('success', success).on('failure', failure);
    const succeeding = breaker.execute(async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
    });
    await vi.advanceTimersByTimeAsync(250);
    await succeeding;
    const error = new Error('late');
    const failing = breaker
      .execute(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw error;
      })
      .catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    await failing;
    expect(success).toHaveBeenCalledWith({ duration: 250 });
    expect(failure).toHaveBeenCalledWith({ error, duration: 100, handled: true });
  });

  it('reads no clock for a closed consecutive breaker until someone listens', async () => {
    const clock = { now: vi.fn(() => 0) };
    const breaker = new CircuitBreaker({ failureThreshold: 3, clock });
    const performanceNow = vi.spyOn(performance, 'now');
    await breaker.execute(ok);
    await breaker.execute(boom).catch(() => undefined);
    expect(clock.now).not.toHaveBeenCalled();
    expect(performanceNow).not.toHaveBeenCalled();
    breaker.on('success', () => {});
    await breaker.execute(ok);
    expect(performanceNow).toHaveBeenCalledTimes(2);
    performanceNow.mockRestore();
  });

  it('reports ignored errors as failures that were not handled', async () => {
    const breaker = new CircuitBreaker({ shouldHandle: () => false });
    const failure = vi.fn();
    breaker.once('failure', failure);
    await breaker.execute(boom).catch(() => undefined);
    expect(failure).toHaveBeenCalledWith(expect.objectContaining({ handled: false }));
  });

  it('keeps counting correctly after its listeners are removed', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    const failure = vi.fn();
    breaker.on('failure', failure);
    await failTimes(breaker, 1);
    breaker.off('failure', failure);
    await failTimes(breaker, 1);
    expect(failure).toHaveBeenCalledTimes(1);
    expect(breaker.state).toBe('open');
    breaker.removeAllListeners();
  });
});

describe('CircuitBreaker slow calls', () => {
  async function call(breaker: CircuitBreaker, ms: number, fail = false): Promise<unknown> {
    const pending = breaker
      .execute(async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        if (fail) throw new Error('slow failure');
        return ms;
      })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(ms);
    return pending;
  }

  it('counts a slow success as a failure under the consecutive policy', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, slowCall: { threshold: '1s' } });
    const slowCall = vi.fn();
    breaker.on('slowCall', slowCall);
    const seen = transitions(breaker);
    expect(await call(breaker, 1000)).toBe(1000);
    expect(await call(breaker, 999)).toBe(999); // fast: resets the count
    expect(await call(breaker, 1500)).toBe(1500);
    expect(breaker.state).toBe('closed');
    await call(breaker, 2000);
    expect(breaker.state).toBe('open');
    expect(seen).toEqual(['closed>open:slow-calls']);
    expect(slowCall).toHaveBeenCalledTimes(3);
  });

  it('opens on the slow-call rate of a count window', async () => {
    const breaker = new CircuitBreaker({
      policy: { kind: 'count', size: 4, failureRate: 0.9 },
      slowCall: { threshold: 100, rate: 0.5 },
    });
    const seen = transitions(breaker);
    await call(breaker, 10);
    await call(breaker, 100);
    await call(breaker, 10);
    expect(breaker.state).toBe('closed');
    await call(breaker, 200);
    expect(seen).toEqual(['closed>open:slow-calls']);
  });

  it('reopens when a half-open probe is slow', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeout: 1000,
      slowCall: { threshold: 50 },
    });
    await failTimes(breaker, 1);
    await vi.advanceTimersByTimeAsync(1000);
    await call(breaker, 60);
    expect(breaker.state).toBe('open');
  });
});

describe('CircuitBreaker and timeouts', () => {
  it('counts a TimeoutError as a failure', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    await breaker.execute(() => Promise.reject(new TimeoutError(100))).catch(() => undefined);
    expect(breaker.state).toBe('open');
  });
});
