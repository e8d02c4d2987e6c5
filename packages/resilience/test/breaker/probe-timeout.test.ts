import { caught, deferred, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BreakerOpenError,
  CircuitBreaker,
  type CircuitBreakerCommonOptions,
} from '../../src/index.js';
import { failTimes, ok, transitions } from '../support/breaker.js';

// A half-open probe that never settles used to wedge the breaker: every later call was rejected
// with `retryAfter: 0`, for good. Probes are bounded by `probeTimeout` now.

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

async function halfOpened(
  options: CircuitBreakerCommonOptions<never> = {},
): Promise<CircuitBreaker> {
  const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000, ...options });
  await failTimes(breaker, 1);
  await vi.advanceTimersByTimeAsync(1000);
  expect(breaker.state).toBe('half-open');
  return breaker;
}

const never = (): Promise<never> => new Promise(() => {});

describe('CircuitBreaker probeTimeout', () => {
  it('reopens when a probe has not settled within probeTimeout (default 30 s)', async () => {
    const breaker = await halfOpened();
    const seen = transitions(breaker);
    void breaker.execute(never);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(breaker.state).toBe('half-open');
    await vi.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('open');
    expect(seen).toEqual(['half-open>open:probe-timeout']);
    // The rejection says honestly when the next probe goes through.
    await vi.advanceTimersByTimeAsync(400);
    const error = await rejection(breaker.execute(ok));
    expect(error).toBeInstanceOf(BreakerOpenError);
    expect(error).toMatchObject({ state: 'open', retryAfter: 600 });
    // And it recovers: the next probe succeeds, the breaker closes.
    await vi.advanceTimersByTimeAsync(600);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('counts the abandoned probe as a failure: the open period grows under resetBackoff', async () => {
    const breaker = await halfOpened({ probeTimeout: '5s', resetBackoff: { maxDelay: '1m' } });
    const open = vi.fn();
    breaker.on('open', open);
    void breaker.execute(never);
    await vi.advanceTimersByTimeAsync(5000);
    expect(open).toHaveBeenCalledWith({ reason: 'probe-timeout', attempt: 2, retryAfter: 2000 });
  });

  it('ignores the late settlement of an abandoned probe, success or failure', async () => {
    const breaker = await halfOpened({ probeTimeout: 100, halfOpenProbes: 2 });
    const lateSuccess = deferred<string>();
    const lateFailure = deferred<string>();
    const first = breaker.execute(() => lateSuccess.promise);
    const second = breaker.execute(() => lateFailure.promise);
    await vi.advanceTimersByTimeAsync(100);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1000);
    expect(breaker.state).toBe('half-open');
    const seen = transitions(breaker);
    const probe = deferred<string>();
    const current = breaker.execute(() => probe.promise);
    // The old probes settle during the new half-open period: neither counts in it.
    lateSuccess.resolve('late');
    lateFailure.reject(new Error('late'));
    await expect(first).resolves.toBe('late');
    await expect(second).rejects.toThrow('late');
    expect(breaker.state).toBe('half-open');
    expect(breaker.toJSON()).toEqual({ version: 1, state: 'half-open', attempt: 2 });
    // One new success is not enough for two probes; a second one closes it.
    probe.resolve('now');
    await current;
    expect(breaker.state).toBe('half-open');
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    expect(seen).toEqual(['half-open>closed:probes-succeeded']);
  });

  it('times each probe from its own start, and re-arms for the next oldest', async () => {
    const breaker = await halfOpened({ probeTimeout: 1000, halfOpenProbes: 3 });
    const done = deferred<string>();
    const first = breaker.execute(() => done.promise);
    await vi.advanceTimersByTimeAsync(600);
    void breaker.execute(never); // started at 600: due at 1600
    done.resolve('ok');
    await first;
    await vi.advanceTimersByTimeAsync(999); // 1599
    expect(breaker.state).toBe('half-open');
    await vi.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('open');
  });

  it('abandons an overdue probe on the next call when no timer runs (after close)', async () => {
    vi.useRealTimers();
    let now = 0;
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeout: 1000,
      probeTimeout: 500,
      clock: { now: () => now },
    });
    await breaker.close(); // no timers: only calls and the clock move it on
    await failTimes(breaker, 1);
    now = 1000;
    void breaker.execute(never); // the probe, due at 1500
    now = 1499;
    expect(await rejection(breaker.execute(ok))).toMatchObject({ state: 'half-open' });
    now = 1500;
    expect(await rejection(breaker.execute(ok))).toMatchObject({ state: 'open', retryAfter: 1000 });
    expect(breaker.state).toBe('open');
  });

  it('reports a listener that throws from the probe timer through onError', async () => {
    const onError = vi.fn();
    const breaker = await halfOpened({ name: 'partner', probeTimeout: 100, onError });
    breaker.on('open', () => {
      throw new Error('listener bug');
    });
    void breaker.execute(never);
    await vi.advanceTimersByTimeAsync(100);
    expect(breaker.state).toBe('open');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }), {
      source: "CircuitBreaker 'partner'",
      operation: "'open' listener",
    });
  });

  it('rejects a probeTimeout that is not a positive duration', () => {
    expect(caught(() => new CircuitBreaker({ probeTimeout: 0 }))).toMatchObject({
      code: 'INVALID_DURATION',
      message: expect.stringContaining('probeTimeout should be longer than zero'),
    });
  });
});
