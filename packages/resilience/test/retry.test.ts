import { type Counter, Registry } from '@vigil/core';
import { rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, Retry } from '../src/index.js';
import { flaky, gaps } from './support/flaky.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Retry', () => {
  it('returns the first success without waiting', async () => {
    const policy = new Retry();
    const { fn } = flaky(0);
    await expect(policy.execute(fn)).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retries with exponential delays when jitter is none, capped at maxDelay', async () => {
    const policy = new Retry({
      maxAttempts: 6,
      initialDelay: 100,
      maxDelay: 500,
      factor: 2,
      jitter: 'none',
    });
    const { fn, attempts } = flaky(5);
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toBe('done');
    expect(gaps(attempts)).toEqual([100, 200, 400, 500, 500]);
  });

  it('draws full jitter from [0, exponential delay]', async () => {
    const policy = new Retry({ maxAttempts: 4, initialDelay: 100, random: () => 0.5 });
    const { fn, attempts } = flaky(3);
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(gaps(attempts)).toEqual([50, 100, 200]);
  });

  it('draws decorrelated jitter from [initialDelay, 3 × previous delay]', async () => {
    const policy = new Retry({
      maxAttempts: 4,
      initialDelay: 100,
      maxDelay: 1000,
      jitter: 'decorrelated',
      random: () => 1,
    });
    const { fn, attempts } = flaky(3);
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    // The first delay grows from initialDelay too: 3 × 100, then 3 × 300, then the cap.
    expect(gaps(attempts)).toEqual([300, 900, 1000]);
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    const policy = new Retry({ maxAttempts: 3, initialDelay: 10 });
    const giveUp = vi.fn();
    policy.on('giveUp', giveUp);
    let n = 0;
    const result = policy.execute(async () => {
      throw new Error(`attempt ${++n}`);
    });
    const error = rejection(result);
    await vi.advanceTimersByTimeAsync(1000);
    expect(((await error) as Error).message).toBe('attempt 3');
    expect(giveUp).toHaveBeenCalledWith({
      attempts: 3,
      error: expect.any(Error),
      reason: 'attempts',
    });
  });

  it('emits retry before each delay', async () => {
    const policy = new Retry({ maxAttempts: 3, initialDelay: 100, jitter: 'none' });
    const retries = vi.fn();
    policy.on('retry', retries);
    const { fn } = flaky(2);
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(1000);
    await result;
    expect(retries.mock.calls.map(([event]) => [event.attempt, event.delay])).toEqual([
      [1, 100],
      [2, 200],
    ]);
  });

  it('retries only errors retryOn accepts', async () => {
    const retryOn = vi.fn((error: unknown) => !(error instanceof TypeError));
    const policy = new Retry({ maxAttempts: 5, retryOn });
    const giveUp = vi.fn();
    policy.on('giveUp', giveUp);
    const { fn } = flaky(1, () => new TypeError('bad request'));
    await expect(policy.execute(fn)).rejects.toThrow('bad request');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(retryOn).toHaveBeenCalledWith(expect.any(TypeError), 1);
    expect(giveUp).toHaveBeenCalledWith(expect.objectContaining({ reason: 'not-retryable' }));
  });

  it('gives up when retryOn throws, rethrows the task error, and reports the filter bug', async () => {
    // The filter's error used to vanish: now it goes through onError (or a warning).
    const bug = new Error('filter bug');
    const onError = vi.fn();
    const giveUp = vi.fn();
    const policy = new Retry({
      name: 'partner',
      onError,
      retryOn: () => {
        throw bug;
      },
    });
    policy.on('giveUp', giveUp);
    const { fn } = flaky(1);
    await expect(policy.execute(fn)).rejects.toThrow('flaky');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(giveUp).toHaveBeenCalledWith(expect.objectContaining({ reason: 'not-retryable' }));
    expect(onError).toHaveBeenCalledWith(bug, { source: "Retry 'partner'", operation: 'retryOn' });
  });

  it('warns once (VIGIL_BACKGROUND_ERROR) when retryOn throws and there is no onError', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const policy = new Retry({
      retryOn: () => {
        throw new Error('filter bug');
      },
    });
    await expect(policy.execute(flaky(1).fn)).rejects.toThrow('flaky');
    await expect(policy.execute(flaky(1).fn)).rejects.toThrow('flaky');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Retry: retryOn failed'), {
      type: 'VigilWarning',
      code: 'VIGIL_BACKGROUND_ERROR',
    });
    warn.mockRestore();
  });

  it('keeps retrying when a retry listener throws, and reports the listener bug', async () => {
    // Before: the listener's error replaced the task's and the attempts stopped.
    const onError = vi.fn();
    const policy = new Retry({ name: 'partner', initialDelay: 10, jitter: 'none', onError });
    policy.on('retry', () => {
      throw new Error('listener bug');
    });
    const { fn } = flaky(1);
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledExactlyOnceWith(expect.any(Error), {
      source: "Retry 'partner'",
      operation: "'retry' listener",
    });
    const once = new Retry({ maxAttempts: 1, onError });
    once.on('giveUp', () => {
      throw new Error('giveUp listener bug');
    });
    await expect(once.execute(flaky(1).fn)).rejects.toThrow('flaky');
    expect(onError).toHaveBeenLastCalledWith(expect.any(Error), {
      source: 'Retry',
      operation: "'giveUp' listener",
    });
  });

  it('retries without end under maxAttempts: Infinity until it succeeds', async () => {
    const policy = new Retry({
      maxAttempts: Number.POSITIVE_INFINITY,
      initialDelay: 1,
      maxDelay: 1,
    });
    const { fn } = flaky(50);
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(51);
  });

  it('keeps the process alive while it waits: its delay timer is not unref()ed', async () => {
    // An unref()ed delay let `await retry(fn)` in a script exit (code 13) mid-backoff.
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const result = new Retry({ initialDelay: 100 }).execute(flaky(1).fn);
    await vi.advanceTimersByTimeAsync(0);
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    expect(timer.hasRef()).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    await result;
    setTimeoutSpy.mockRestore();
  });
});

describe('Retry and AbortSignal', () => {
  it('passes the signal to each attempt', async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const result = new Retry({ initialDelay: 1 }).execute(async (signal) => {
      signals.push(signal);
      if (signals.length < 2) throw new Error('again');
      return 'ok';
    }, controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    await result;
    expect(signals).toEqual([controller.signal, controller.signal]);
  });

  it('stops waiting as soon as the signal aborts, with AbortedError', async () => {
    const controller = new AbortController();
    // No jitter: a full-jitter draw below 100 ms would retry before the abort (1 run in 100).
    const policy = new Retry({ initialDelay: '10s', jitter: 'none' });
    const giveUp = vi.fn();
    policy.on('giveUp', giveUp);
    const { fn } = flaky(1);
    const result = rejection(policy.execute(fn, controller.signal));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort('cancelled');
    const error = await result;
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBe('cancelled');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(giveUp).toHaveBeenCalledWith(expect.objectContaining({ reason: 'aborted' }));
  });

  it('does not retry an attempt that failed after the signal aborted', async () => {
    const controller = new AbortController();
    const fn = vi.fn(async () => {
      controller.abort();
      throw new Error('aborted fetch');
    });
    await expect(new Retry().execute(fn, controller.signal)).rejects.toThrow('aborted fetch');
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('Retry metrics', () => {
  it('counts retries and give-ups by policy', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const policy = new Retry({ name: 'partner', registry, maxAttempts: 3, initialDelay: 1 });
    const first = policy.execute(flaky(1).fn);
    const second = rejection(policy.execute(flaky(5).fn));
    await vi.advanceTimersByTimeAsync(100);
    await first;
    await second;
    const attempts = registry.get('vigil_retry_attempts_total') as Counter<'policy'>;
    const giveUps = registry.get('vigil_retry_give_ups_total') as Counter<'policy' | 'reason'>;
    expect(attempts.get({ policy: 'partner' })).toBe(3);
    expect(giveUps.get({ policy: 'partner', reason: 'attempts' })).toBe(1);
    expect(giveUps.get({ policy: 'partner', reason: 'aborted' })).toBe(0);
  });
});

describe('Retry.plan', () => {
  it('answers the backoff delays and gives up after maxAttempts, without timers', () => {
    const policy = new Retry({ maxAttempts: 3, initialDelay: 100, jitter: 'none' });
    const retries: number[] = [];
    policy.on('retry', ({ delay }) => retries.push(delay));
    const error = new Error('boom');
    expect(policy.plan(error, 1)).toEqual({ retry: true, delay: 100 });
    expect(policy.plan(error, 2, 100)).toEqual({ retry: true, delay: 200 });
    expect(policy.plan(error, 3, 200)).toEqual({ retry: false, reason: 'attempts' });
    expect(retries).toEqual([100, 200]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('honours retryOn and a retryAfter hint past maxDelay', () => {
    const policy = new Retry({
      maxAttempts: 5,
      maxDelay: '1s',
      retryOn: (error) => (error as Error).message !== 'fatal',
    });
    expect(policy.plan(new Error('fatal'), 1)).toEqual({ retry: false, reason: 'not-retryable' });
    const slowDown = Object.assign(new Error('later'), { retryAfter: 5_000 });
    expect(policy.plan(slowDown, 1)).toEqual({ retry: false, reason: 'retry-after' });
    const soon = Object.assign(new Error('soon'), { retryAfter: 800 });
    const plan = policy.plan(soon, 1);
    expect(plan.retry && plan.delay).toBeGreaterThanOrEqual(800);
  });
});
