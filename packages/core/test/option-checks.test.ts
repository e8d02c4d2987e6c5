import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  describeValue,
  rejectUnknownOptions,
  unknownOptionMessage,
} from '../src/index.js';

describe('describeValue', () => {
  it('quotes strings and renders other values as JSON where they have one', () => {
    expect(describeValue('5s')).toBe('"5s"');
    expect(describeValue(-1)).toBe('-1');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(false)).toBe('false');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeValue(cycle)).toBe('[object Object]');
  });
});

describe('rejectUnknownOptions', () => {
  it('accepts known keys and names the first unknown one', () => {
    expect(() =>
      rejectUnknownOptions('Retry', { attempts: 3 }, ['attempts', 'backoff']),
    ).not.toThrow();
    const error = caught(() =>
      rejectUnknownOptions('Retry', { atempts: 3 }, ['attempts', 'backoff']),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'INVALID_OPTION',
      message: "Retry: unknown option 'atempts'; the options are attempts, backoff",
    });
  });

  it('unknownOptionMessage says the same without throwing', () => {
    expect(unknownOptionMessage({ attempts: 3 }, ['attempts'])).toBeUndefined();
    expect(unknownOptionMessage({ x: 1 }, ['attempts', 'backoff'])).toBe(
      "unknown option 'x'; the options are attempts, backoff",
    );
  });
});
