import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, parseDuration, VigilError } from '../src/index.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['2.5s', 2_500],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['1w', 604_800_000],
    ['1w2d3h4m5s6ms', 604_800_000 + 2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5_000 + 6],
    ['0s', 0],
  ])('parses %j as %d ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([
    [250, 250],
    [0, 0],
    [1.5, 1.5],
  ])('takes the number %d as milliseconds', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([
    ['the empty string', ''],
    ['a word', 'abc'],
    ['an unknown unit', '5x'],
    ['units in the wrong order', '1m1h'],
    ['a unit given twice', '1m1m'],
    ['a number without a unit', '90'],
    ['surrounding spaces', ' 5m '],
    ['an upper-case unit', '5M'],
    ['a negative string', '-5s'],
    ['a negative number', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an object', {}],
    ['null', null],
    ['undefined', undefined],
  ])(
    'rejects %s with ConfigurationError INVALID_DURATION naming the accepted forms',
    (_, input) => {
      const error = caught(() => parseDuration(input as never));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toBeInstanceOf(VigilError);
      expect(error).toMatchObject({ code: 'INVALID_DURATION' });
      const message = (error as Error).message;
      for (const form of ["'250ms'", "'90s'", "'5m'", "'1h30m'", 'milliseconds']) {
        expect(message).toContain(form);
      }
    },
  );

  it('names the field and the bad value in its message', () => {
    const error = caught(() => parseDuration('5x', 'timeout')) as Error;
    expect(error.message).toMatch(/^timeout should be/);
    expect(error.message).toContain('got "5x"');
  });
});
