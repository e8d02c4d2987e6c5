import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import { ConfigurationError, Registry, systemClock, systemTimers } from '../src/index.js';
import {
  checkOptionsObject,
  describeValue,
  MAX_TIMER_DELAY,
  optionalBoolean,
  optionalChoice,
  optionalClock,
  optionalDuration,
  optionalFunction,
  optionalInteger,
  optionalNumber,
  optionalOnError,
  optionalRate,
  optionalRegistry,
  optionalString,
  optionalTimers,
  required,
  unknownOptionMessage,
} from '../src/options/index.js';

function messageOf(run: () => unknown): string {
  const error = caught(run);
  expect(error).toBeInstanceOf(ConfigurationError);
  return (error as Error).message;
}

describe('@vigil/core/options', () => {
  it('is not on the root export', () => {
    expect(Object.keys(root)).not.toContain('checkOptionsObject');
    expect(Object.keys(root)).not.toContain('describeValue');
  });
});

describe('describeValue', () => {
  it('renders values short and safe', () => {
    expect(describeValue('5s')).toBe('"5s"');
    expect(describeValue(-1)).toBe('-1');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(false)).toBe('false');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(3n)).toBe('3n');
    expect(describeValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(new Map())).toBe('a Map');
  });

  it('never prints a function source or a huge value', () => {
    const secret = function handler() {
      return 'password=hunter2';
    };
    expect(describeValue(secret)).toBe('a function');
    expect(describeValue('x'.repeat(1_000))).toBe(`"${'x'.repeat(60)}…"`);
    expect(describeValue(Array.from({ length: 300 }, (_, i) => i))).toBe('an array of 300 items');
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`key${i}`, i]));
    expect(describeValue(wide)).toBe('an object with keys key0, key1, key2, key3, key4, …');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeValue(cycle)).toBe('an object with keys self');
  });
});

describe('checkOptionsObject', () => {
  it('accepts known keys and undefined, and names the first unknown one', () => {
    expect(checkOptionsObject('Retry', { attempts: 3 }, ['attempts', 'backoff'])).toEqual({
      attempts: 3,
    });
    expect(checkOptionsObject('Retry', undefined, ['attempts'])).toEqual({});
    const error = caught(() =>
      checkOptionsObject('Retry', { atempts: 3 }, ['attempts', 'backoff']),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'INVALID_OPTION',
      message: "Retry: unknown option 'atempts'; the options are attempts, backoff",
    });
  });

  it('refuses arrays, null and primitives the same way everywhere', () => {
    for (const bad of [[], null, 5, 'x']) {
      expect(messageOf(() => checkOptionsObject('Registry', bad, []))).toBe(
        `Registry: options should be an object, got ${describeValue(bad)}`,
      );
    }
    expect(() => new Registry([] as never)).toThrow(/Registry: options should be an object/);
  });

  it('requires the object when told to', () => {
    expect(messageOf(() => checkOptionsObject('Cache', undefined, [], { required: true }))).toBe(
      'Cache: options should be an object, got undefined',
    );
  });

  it('unknownOptionMessage says the same without throwing', () => {
    expect(unknownOptionMessage({ attempts: 3 }, ['attempts'])).toBeUndefined();
    expect(unknownOptionMessage({ x: 1 }, ['attempts', 'backoff'])).toBe(
      "unknown option 'x'; the options are attempts, backoff",
    );
  });
});

describe('value checks', () => {
  it('pass undefined through, so an explicitly undefined option means the default', () => {
    for (const check of [
      optionalString,
      optionalBoolean,
      optionalFunction,
      optionalInteger,
      optionalNumber,
      optionalRate,
      optionalDuration,
      optionalRegistry,
      optionalClock,
      optionalTimers,
      optionalOnError,
    ]) {
      expect(check('X', 'field', undefined)).toBeUndefined();
    }
    expect(optionalChoice('X', 'field', undefined, ['a'])).toBeUndefined();
  });

  it('say owner, field, expectation and value', () => {
    expect(messageOf(() => optionalString('Cache', 'name', ''))).toBe(
      'Cache: name should be a non-empty string, got ""',
    );
    expect(optionalString('Cache', 'name', '', { allowEmpty: true })).toBe('');
    expect(messageOf(() => optionalBoolean('Cache', 'stale', 1))).toBe(
      'Cache: stale should be true or false, got 1',
    );
    expect(messageOf(() => optionalFunction('Cache', 'key', 'k'))).toBe(
      'Cache: key should be a function, got "k"',
    );
    expect(messageOf(() => optionalChoice('Cache', 'mode', 'x', ['a', 'b']))).toBe(
      'Cache: mode should be one of "a", "b", got "x"',
    );
    expect(messageOf(() => optionalInteger('Cache', 'max', 0, { min: 1 }))).toBe(
      'Cache: max should be a positive integer, got 0',
    );
    expect(messageOf(() => optionalInteger('Cache', 'max', 1.5, { min: 0 }))).toBe(
      'Cache: max should be a non-negative integer, got 1.5',
    );
    expect(messageOf(() => optionalInteger('Cache', 'n', 11, { min: 1, max: 10 }))).toBe(
      'Cache: n should be an integer from 1 to 10, got 11',
    );
    expect(messageOf(() => optionalNumber('Cache', 'f', Number.POSITIVE_INFINITY))).toBe(
      'Cache: f should be a finite number, got Infinity',
    );
    expect(messageOf(() => optionalNumber('Cache', 'f', -1, { min: 0 }))).toBe(
      'Cache: f should be a finite number of at least 0, got -1',
    );
    expect(messageOf(() => optionalRate('Breaker', 'rate', 1.5))).toBe(
      'Breaker: rate should be a number in (0, 1], such as 0.5 for 50 %, got 1.5',
    );
    expect(messageOf(() => required('Cache', 'name', undefined, "such as 'users'"))).toBe(
      "Cache: name is required: such as 'users'",
    );
  });

  it('all throw INVALID_OPTION, durations INVALID_DURATION', () => {
    expect(caught(() => optionalInteger('X', 'n', 'a'))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(() => optionalDuration('X', 'd', 'soon'))).toMatchObject({
      code: 'INVALID_DURATION',
    });
  });

  it('read durations in ms or as strings, within a timer and positive when asked', () => {
    expect(optionalDuration('X', 'd', '1m30s')).toBe(90_000);
    expect(optionalDuration('X', 'd', 0)).toBe(0);
    expect(caught(() => optionalDuration('X', 'd', 0, { positive: true }))).toMatchObject({
      code: 'INVALID_DURATION',
      message: "X: d should be longer than zero, such as 500 or '2s', got 0",
    });
    expect(caught(() => optionalDuration('X', 'd', MAX_TIMER_DELAY + 1))).toMatchObject({
      code: 'INVALID_DURATION',
    });
    expect(optionalDuration('X', 'd', '40d', { max: Number.MAX_SAFE_INTEGER })).toBe(
      40 * 86_400_000,
    );
  });

  it('check registries, clocks, timers and onError by shape', () => {
    const registry = new Registry();
    expect(optionalRegistry('X', 'registry', registry)).toBe(registry);
    expect(optionalClock('X', 'clock', systemClock)).toBe(systemClock);
    expect(optionalTimers('X', 'timers', systemTimers)).toBe(systemTimers);
    expect(messageOf(() => optionalRegistry('X', 'registry', {}))).toContain(
      'X: registry should be a Registry from @vigil/core',
    );
    expect(messageOf(() => optionalClock('X', 'clock', Date.now))).toContain(
      'X: clock should be an object with a now() method',
    );
    expect(messageOf(() => optionalTimers('X', 'timers', {}))).toContain(
      'setTimeout(callback, ms)',
    );
    expect(messageOf(() => optionalOnError('X', 'onError', 'log'))).toBe(
      'X: onError should be a function (error, { source, operation }) => void, got "log"',
    );
  });
});
