import { ConfigurationError, Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Retry, type RetryOptions, retry } from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A task that fails `failures` times, then returns 'done'. */
function flaky(failures: number) {
  let calls = 0;
  return vi.fn(async () => {
    if (++calls <= failures) throw new Error('flaky');
    return 'done';
  });
}

describe('retry()', () => {
  it('runs fn under a one-off policy, with a signal', async () => {
    const controller = new AbortController();
    const fn = flaky(1);
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
    [{ factor: 0.5 }, 'INVALID_OPTION', 'factor should be a finite number of at least 1, got 0.5'],
    [
      { jitter: 'equal' },
      'INVALID_OPTION',
      'jitter should be one of "full", "decorrelated", "none", got "equal"',
    ],
    [
      { initialDelay: '10s', maxDelay: '1s' },
      'INVALID_OPTION',
      'initialDelay (10000 ms) should not exceed maxDelay (1000 ms)',
    ],
    [{ retryOn: true }, 'INVALID_OPTION', 'retryOn should be a function'],
    [{ random: 0.5 }, 'INVALID_OPTION', 'random should be a function'],
    [{ respectRetryAfter: 'yes' }, 'INVALID_OPTION', 'respectRetryAfter should be true or false'],
    [{ timers: {} }, 'INVALID_OPTION', 'timers should be an object with setTimeout'],
    [{ clock: 5 }, 'INVALID_OPTION', 'clock should be an object with a now() method'],
    [{ onError: 'log' }, 'INVALID_OPTION', 'onError should be a function'],
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

  it('accepts every option as explicitly undefined, meaning the default', async () => {
    const options: Required<RetryOptions> = {
      maxAttempts: undefined,
      initialDelay: undefined,
      maxDelay: undefined,
      factor: undefined,
      jitter: undefined,
      retryOn: undefined,
      respectRetryAfter: undefined,
      name: undefined,
      registry: undefined,
      random: undefined,
      clock: undefined,
      timers: undefined,
      onError: undefined,
    };
    expect(new Retry(options).maxAttempts).toBe(3);
    await expect(retry(() => 1, { ...options, signal: undefined })).resolves.toBe(1);
  });

  it('schedules its delays on the timers it is given', async () => {
    const scheduled: number[] = [];
    const timers = {
      // Runs each delay at once: only the requested durations matter here.
      setTimeout: (callback: () => void, ms: number) => {
        scheduled.push(ms);
        queueMicrotask(callback);
        return ms;
      },
      clearTimeout: () => undefined,
    };
    const policy = new Retry({ initialDelay: 500, jitter: 'none', timers });
    await expect(policy.execute(flaky(2))).resolves.toBe('done');
    expect(scheduled).toEqual([500, 1000]);
  });

  it('exposes maxAttempts', () => {
    expect(new Retry().maxAttempts).toBe(3);
    expect(new Retry({ maxAttempts: 7 }).maxAttempts).toBe(7);
  });
});
