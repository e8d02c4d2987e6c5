import { ConfigurationError, type Counter, Registry } from '@vigil/core';
import { caught, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  BreakerOpenError,
  CircuitBreaker,
  Retry,
  type RetryOptions,
  retry,
} from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A task that fails `failures` times, then returns 'done'; records when each attempt ran. */
function flaky(failures: number, error: () => unknown = () => new Error('flaky')) {
  const attempts: number[] = [];
  const fn = vi.fn(async () => {
    attempts.push(Date.now());
    if (attempts.length <= failures) throw error();
    return 'done';
  });
  return { fn, attempts };
}

/** Delays between consecutive attempts. */
function gaps(attempts: number[]): number[] {
  return attempts.slice(1).map((time, i) => time - (attempts[i] as number));
}

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

  it('does not retry when retryOn throws', async () => {
    const policy = new Retry({
      retryOn: () => {
        throw new Error('filter bug');
      },
    });
    await expect(policy.execute(flaky(1).fn)).rejects.toThrow('flaky');
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

describe('Retry and retryAfter hints', () => {
  function withHint(retryAfter: unknown): Error {
    return Object.assign(new Error('429'), { retryAfter });
  }

  it.each([
    ['milliseconds', 1500, 1500],
    ['delay-seconds text', '2', 2000],
    ['a Date', new Date(Date.UTC(2024, 0, 1, 0, 0, 3)), 3000],
    ['an HTTP-date', 'Mon, 01 Jan 2024 00:00:04 GMT', 4000],
  ])('waits for a hint in %s when it is longer than the backoff', async (_, hint, wait) => {
    vi.setSystemTime(Date.UTC(2024, 0, 1));
    const policy = new Retry({ initialDelay: 10, maxDelay: '10s' });
    const { fn, attempts } = flaky(1, () => withHint(hint));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(gaps(attempts)).toEqual([wait]);
  });

  it('waits for the backoff when it is longer than the hint', async () => {
    const policy = new Retry({ maxAttempts: 3, initialDelay: 400, jitter: 'none' });
    const { fn, attempts } = flaky(2, () => withHint(0));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(gaps(attempts)).toEqual([400, 800]);
  });

  it('ignores a hint it cannot read', async () => {
    const policy = new Retry({ initialDelay: 10, jitter: 'none' });
    const { fn, attempts } = flaky(1, () => withHint('whenever'));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(1000);
    await result;
    expect(gaps(attempts)).toEqual([10]);
  });

  it('gives up when the hint is longer than maxDelay', async () => {
    const policy = new Retry({ maxDelay: '1s' });
    const giveUp = vi.fn();
    policy.on('giveUp', giveUp);
    const { fn } = flaky(1, () => withHint(5000));
    await expect(policy.execute(fn)).rejects.toThrow('429');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(giveUp).toHaveBeenCalledWith(expect.objectContaining({ reason: 'retry-after' }));
  });

  it('uses the backoff under respectRetryAfter: false', async () => {
    const policy = new Retry({ initialDelay: 10, jitter: 'none', respectRetryAfter: false });
    const { fn, attempts } = flaky(1, () => withHint(5000));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(1000);
    await result;
    expect(gaps(attempts)).toEqual([10]);
  });

  it("waits for an open breaker's half-open time, and gives up on an isolated one", async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: '2s' });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => 0);
    const policy = new Retry({ maxDelay: '5s' });
    const started = Date.now();
    const result = policy.execute(() => breaker.execute(() => Date.now() - started));
    await vi.advanceTimersByTimeAsync(2000);
    await expect(result).resolves.toBe(2000);
    breaker.isolate();
    await expect(policy.execute(() => breaker.execute(() => 1))).rejects.toBeInstanceOf(
      BreakerOpenError,
    );
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

describe('retry()', () => {
  it('runs fn under a one-off policy, with a signal', async () => {
    const controller = new AbortController();
    const { fn } = flaky(1);
    const result = retry(fn, { maxAttempts: 2, initialDelay: 5, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(5);
    await expect(result).resolves.toBe('done');
  });

  it('rejects unknown options', () => {
    const error = caught(() => retry(() => 1, { attempts: 3 } as RetryOptions));
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain("retry: unknown option 'attempts'");
  });
});

describe('Retry options', () => {
  it.each([
    [
      { maxAttempts: 0 },
      'INVALID_OPTION',
      'maxAttempts should be a positive integer or Infinity, got 0',
    ],
    [{ maxAttempts: 2.5 }, 'INVALID_OPTION', 'got 2.5'],
    [{ factor: 0.5 }, 'INVALID_OPTION', 'factor should be a number of at least 1, got 0.5'],
    [{ jitter: 'equal' }, 'INVALID_OPTION', "jitter should be 'full', 'decorrelated' or 'none'"],
    [
      { initialDelay: '10s', maxDelay: '1s' },
      'INVALID_OPTION',
      'initialDelay (10000 ms) should not exceed maxDelay (1000 ms)',
    ],
    [{ retryOn: true }, 'INVALID_OPTION', 'retryOn should be a function'],
    [{ random: 0.5 }, 'INVALID_OPTION', 'random should be a function'],
    [{ respectRetryAfter: 'yes' }, 'INVALID_OPTION', 'respectRetryAfter should be a boolean'],
    [{ registry: new Registry() }, 'INVALID_OPTION', 'name is required when registry is given'],
    [{ initialDelay: 'soon' }, 'INVALID_DURATION', 'initialDelay'],
    [{ maxDelay: -1 }, 'INVALID_DURATION', 'maxDelay'],
    [{ backoff: {} }, 'INVALID_OPTION', "unknown option 'backoff'"],
  ])('rejects %j', (options, code, message) => {
    const error = caught(() => new Retry(options as RetryOptions));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(message);
  });

  it('exposes maxAttempts', () => {
    expect(new Retry().maxAttempts).toBe(3);
    expect(new Retry({ maxAttempts: 7 }).maxAttempts).toBe(7);
  });
});
