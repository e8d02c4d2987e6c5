import { ConfigurationError, Registry } from '@vigil/core';
import { caught, deferred, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, Timeout, TimeoutError, type TimeoutOptions, timeout } from '../src/index.js';
import { cooperative } from './support/cooperative.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('timeout()', () => {
  it('runs fn once under a timeout', async () => {
    const result = rejection(timeout(cooperative(1000), '50ms'));
    await vi.advanceTimersByTimeAsync(51);
    expect(await result).toBeInstanceOf(TimeoutError);
    await expect(timeout(() => 'fast', 50)).resolves.toBe('fast');
  });

  it('leaves no timer behind once the call settled', async () => {
    await expect(timeout(() => 'fast', '30s')).resolves.toBe('fast');
    await expect(timeout(() => Promise.reject(new Error('no')), '30s')).rejects.toThrow('no');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws a bad duration at once', () => {
    expect(caught(() => timeout(() => 1, 'soon'))).toMatchObject({ code: 'INVALID_DURATION' });
  });

  it('takes a signal and a strategy', async () => {
    const controller = new AbortController();
    const result = rejection(
      timeout(() => deferred().promise, 1000, {
        signal: controller.signal,
        strategy: 'aggressive',
      }),
    );
    controller.abort();
    expect(await result).toBeInstanceOf(AbortedError);
  });
});

describe('Timeout options', () => {
  it.each([
    [0, 'INVALID_DURATION', 'duration should be longer than zero'],
    ['forever', 'INVALID_DURATION', 'duration'],
    [
      { duration: '1s', strategy: 'brutal' },
      'INVALID_OPTION',
      'strategy should be one of "cooperative", "aggressive", got "brutal"',
    ],
    [{ strategy: 'aggressive' }, 'INVALID_OPTION', 'duration is required'],
    [{ duration: '1s', timers: setTimeout }, 'INVALID_OPTION', 'timers should be an object'],
    [{ duration: '1s', registry: new Registry() }, 'INVALID_OPTION', 'name is required'],
    [{ duration: '1s', ms: 5 }, 'INVALID_OPTION', "unknown option 'ms'"],
    [null, 'INVALID_OPTION', 'options should be an object'],
  ])('rejects %j', (options, code, message) => {
    const error = caught(() => new Timeout(options as TimeoutOptions));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(message);
  });

  it('accepts every optional option as explicitly undefined', async () => {
    const policy = new Timeout({
      duration: '1s',
      strategy: undefined,
      name: undefined,
      registry: undefined,
      timers: undefined,
    });
    expect(policy.strategy).toBe('cooperative');
    const options = { signal: undefined, strategy: undefined, timers: undefined };
    await expect(timeout(() => 1, '1s', options)).resolves.toBe(1);
    await policy.close();
  });

  it('takes a duration alone', () => {
    const policy = new Timeout('2s');
    expect(policy.duration).toBe(2000);
    expect(policy.strategy).toBe('cooperative');
  });
});
