import { deferred, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, CircuitBreaker } from '../../src/index.js';
import { failTimes, ok, transitions } from '../support/breaker.js';

// Every transition of the breaker's state machine, observed through the public API.

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('CircuitBreaker in the half-open state', () => {
  async function halfOpened(
    options: { halfOpenProbes?: number; shouldHandle?: (error: unknown) => boolean } = {},
  ) {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000, ...options });
    await failTimes(breaker, 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(breaker.state).toBe('half-open');
    return breaker;
  }

  it('closes when the probe succeeds', async () => {
    const breaker = await halfOpened();
    const seen = transitions(breaker);
    const close = vi.fn();
    breaker.on('close', close);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(seen).toEqual(['half-open>closed:probes-succeeded']);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('reopens when the probe fails, for another resetTimeout', async () => {
    const breaker = await halfOpened();
    const seen = transitions(breaker);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(seen).toEqual(['half-open>open:probe-failed']);
    await vi.advanceTimersByTimeAsync(999);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('half-open');
  });

  it('lets one probe through and rejects concurrent calls while it runs', async () => {
    const breaker = await halfOpened();
    const probe = deferred<string>();
    const first = breaker.execute(() => probe.promise);
    const second = await rejection(breaker.execute(ok));
    expect(second).toBeInstanceOf(BreakerOpenError);
    expect(second).toMatchObject({ state: 'half-open', retryAfter: 0 });
    probe.resolve('probed');
    await expect(first).resolves.toBe('probed');
    expect(breaker.state).toBe('closed');
  });

  it('with halfOpenProbes: n, closes only after n probes succeed', async () => {
    const breaker = await halfOpened({ halfOpenProbes: 3 });
    const probes = [deferred<string>(), deferred<string>(), deferred<string>()];
    const calls = probes.map((probe) => breaker.execute(() => probe.promise));
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(BreakerOpenError);
    probes[0]?.resolve('a');
    probes[1]?.resolve('b');
    await Promise.all(calls.slice(0, 2));
    expect(breaker.state).toBe('half-open');
    probes[2]?.resolve('c');
    await calls[2];
    expect(breaker.state).toBe('closed');
  });

  it('reopens on the first failed probe and ignores the probes still running', async () => {
    const breaker = await halfOpened({ halfOpenProbes: 2 });
    const seen = transitions(breaker);
    const slow = deferred<string>();
    const stillRunning = breaker.execute(() => slow.promise);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    slow.resolve('late');
    await expect(stillRunning).resolves.toBe('late');
    expect(breaker.state).toBe('open');
    expect(seen).toEqual(['half-open>open:probe-failed']);
  });

  it('gives the slot of a probe that failed with an ignored error to the next call', async () => {
    const breaker = await halfOpened({ shouldHandle: (error) => !(error instanceof TypeError) });
    await expect(breaker.execute(() => Promise.reject(new TypeError('404')))).rejects.toThrow(
      TypeError,
    );
    expect(breaker.state).toBe('half-open');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('grows the open period under resetBackoff, and starts over after closing', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeout: 1000,
      resetBackoff: { maxDelay: 3000, factor: 2 },
    });
    const delays: number[] = [];
    breaker.on('open', (event) => delays.push(event.retryAfter));
    await failTimes(breaker, 1); // open for 1 s
    for (const wait of [1000, 2000, 3000]) {
      await vi.advanceTimersByTimeAsync(wait);
      expect(breaker.state).toBe('half-open');
      await failTimes(breaker, 1); // probe fails: open for longer, capped at 3 s
    }
    await vi.advanceTimersByTimeAsync(3000);
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(delays).toEqual([1000, 2000, 3000, 3000, 1000]);
  });
});
