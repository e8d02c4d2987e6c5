import { ConfigurationError, Registry, VigilError } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitBreakerOptions } from '../../src/index.js';

function configError(options: unknown): ConfigurationError {
  const error = caught(() => new CircuitBreaker(options as CircuitBreakerOptions));
  expect(error).toBeInstanceOf(VigilError);
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('CircuitBreaker options', () => {
  it.each([
    [{ failureThreshold: 0 }, 'failureThreshold should be a positive integer, got 0'],
    [{ failureThreshold: -1 }, 'failureThreshold should be a positive integer, got -1'],
    [{ failureThreshold: 1.5 }, 'failureThreshold should be a positive integer, got 1.5'],
    [
      { policy: { kind: 'consecutive', threshold: 0 } },
      'policy.threshold should be a positive integer, got 0',
    ],
    [
      { policy: { kind: 'count', size: 10, failureRate: 0 } },
      'policy.failureRate should be a number in (0, 1]',
    ],
    [{ policy: { kind: 'count', size: 10, failureRate: 1.5 } }, 'got 1.5'],
    [{ policy: { kind: 'count', size: 10, failureRate: Number.NaN } }, 'got NaN'],
    [
      { policy: { kind: 'count', size: 5, minimumCalls: 10, failureRate: 0.5 } },
      'policy.size (5) should be at least policy.minimumCalls (10)',
    ],
    [
      { policy: { kind: 'count', size: 0, failureRate: 0.5 } },
      'policy.size should be a positive integer',
    ],
    [
      { policy: { kind: 'time', window: '1m', failureRate: 0.5, minimumCalls: 0 } },
      'policy.minimumCalls',
    ],
    [
      { policy: { kind: 'time', window: '1m', failureRate: 0.5, buckets: 5000 } },
      'policy.buckets should be an integer from 1 to 1000, got 5000',
    ],
    [
      { policy: { kind: 'sliding', size: 10 } },
      'policy.kind should be one of "consecutive", "count", "time", got "sliding"',
    ],
    [{ policy: { kind: 'count', failureRate: 0.5 } }, 'policy.size is required'],
    [{ policy: { kind: 'time', failureRate: 0.5 } }, 'policy.window is required'],
    [{ policy: null }, 'policy should be an object with a kind'],
    [{ failureThreshold: 3, policy: { kind: 'consecutive', threshold: 3 } }, 'not both'],
    [{ halfOpenProbes: 0 }, 'halfOpenProbes should be a positive integer, got 0'],
    [{ slowCall: { threshold: '1s', rate: 0 } }, 'slowCall.rate'],
    [
      { slowCall: { threshold: '1s', rate: 0.5 } },
      "slowCall.rate applies to the 'count' and 'time' policies",
    ],
    [
      { resetBackoff: { maxDelay: '1s', factor: 0.5 } },
      'resetBackoff.factor should be a finite number of at least 1',
    ],
    [
      { resetTimeout: '1m', resetBackoff: { maxDelay: '30s' } },
      'resetBackoff.maxDelay should be at least resetTimeout',
    ],
    [{ shouldHandle: 'yes' }, 'shouldHandle should be a function, got "yes"'],
    [{ fallback: 42 }, 'fallback should be a function, got 42'],
    [{ name: '' }, 'name should be a non-empty string'],
    [{ registry: {} }, 'registry should be a Registry from @vigil/core'],
    [{ clock: { now: 1 } }, 'clock should be an object with a now() method'],
    [{ timers: { setTimeout } }, 'timers should be an object with setTimeout(callback, ms)'],
    [{ onError: 'log' }, 'onError should be a function'],
    [{ resetBackoff: { factor: 2 } }, 'resetBackoff.maxDelay is required'],
    [{ slowCall: {} }, 'slowCall.threshold is required'],
    [{ threshold: 5 }, "unknown option 'threshold'; the options are name, failureThreshold"],
    [
      { policy: { kind: 'count', size: 10, failureRate: 0.5, window: '1m' } },
      "unknown option 'window'",
    ],
  ])('rejects %j with INVALID_OPTION', (options, message) => {
    const error = configError(options);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(message);
    expect(error.message.startsWith('CircuitBreaker')).toBe(true);
  });

  it.each([
    [{ resetTimeout: 'soon' }, 'resetTimeout'],
    [{ resetTimeout: -5 }, 'resetTimeout'],
    [{ resetTimeout: '30d' }, 'at most 2147483647 ms'],
    [{ policy: { kind: 'time', window: '1 minute', failureRate: 0.5 } }, 'policy.window'],
    [
      { policy: { kind: 'time', window: 0, failureRate: 0.5 } },
      'policy.window should be longer than zero',
    ],
    [{ slowCall: { threshold: 0 } }, 'slowCall.threshold should be longer than zero'],
    [{ resetBackoff: { maxDelay: 'later' } }, 'resetBackoff.maxDelay'],
  ])('rejects the duration in %j with INVALID_DURATION', (options, message) => {
    const error = configError(options);
    expect(error.code).toBe('INVALID_DURATION');
    expect(error.message).toContain(message);
  });

  it('requires a name with a registry, because it labels the metrics', () => {
    const error = configError({ registry: new Registry() });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('name is required when registry is given');
  });

  it('accepts every documented option', () => {
    const breaker = new CircuitBreaker({
      name: 'partner',
      policy: { kind: 'time', window: '1m', failureRate: 0.5, minimumCalls: 20, buckets: 6 },
      resetTimeout: '30s',
      resetBackoff: { maxDelay: '5m', factor: 3 },
      halfOpenProbes: 2,
      slowCall: { threshold: '2s', rate: 0.8 },
      shouldHandle: () => true,
      fallback: () => 'cached',
      registry: new Registry(),
      clock: { now: () => 0 },
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
      onError: () => undefined,
      probeTimeout: '10s',
    });
    expect(breaker.state).toBe('closed');
    expect(breaker.name).toBe('partner');
  });

  it('accepts every optional option as explicitly undefined, meaning the default', () => {
    const breaker = new CircuitBreaker({
      name: undefined,
      failureThreshold: undefined,
      policy: undefined,
      resetTimeout: undefined,
      resetBackoff: undefined,
      halfOpenProbes: undefined,
      probeTimeout: undefined,
      slowCall: undefined,
      shouldHandle: undefined,
      fallback: undefined,
      registry: undefined,
      clock: undefined,
      timers: undefined,
      onError: undefined,
      initialState: undefined,
    });
    expect(breaker.state).toBe('closed');
    const windowed = new CircuitBreaker({
      policy: {
        kind: 'time',
        window: '1m',
        failureRate: 0.5,
        minimumCalls: undefined,
        buckets: undefined,
      },
      resetBackoff: { maxDelay: '1m', factor: undefined },
      slowCall: { threshold: '1s', rate: undefined },
    });
    expect(windowed.toJSON()).toEqual({
      version: 1,
      state: 'closed',
      window: { kind: 'time', buckets: [] },
    });
  });

  it('makes failureThreshold and policy together a type error', () => {
    const options: CircuitBreakerOptions = {
      failureThreshold: 1,
      // @ts-expect-error: failureThreshold or policy, not both
      policy: { kind: 'consecutive', threshold: 1 },
    };
    expect(configError(options).code).toBe('INVALID_OPTION');
  });
});
