import { describe, expect, it } from 'vitest';
import { BreakerOpenError } from '../src/index.js';
import { retryAfterOf } from '../src/retry-after.js';

const NOW = Date.UTC(2024, 0, 1);
const hint = (retryAfter: unknown) => ({ retryAfter });

describe('retryAfterOf', () => {
  it.each([
    ['a number of milliseconds', 250, 250],
    ['zero', 0, 0],
    ['delay-seconds text', '120', 120_000],
    ['delay-seconds text with spaces', ' 3 ', 3000],
    ['a Date', new Date(NOW + 1500), 1500],
    ['an HTTP-date', 'Mon, 01 Jan 2024 00:01:00 GMT', 60_000],
    ['a date in the past', 'Sun, 31 Dec 2023 23:59:00 GMT', 0],
  ])('reads %s', (_, value, expected) => {
    expect(retryAfterOf(hint(value), NOW)).toBe(expected);
  });

  it.each([
    ['no property', new Error('x')],
    ['a negative number', hint(-1)],
    ['NaN', hint(Number.NaN)],
    ['unparsable text', hint('soon')],
    ['an invalid Date', hint(new Date('nope'))],
    ['an object', hint({ seconds: 3 })],
    ['a non-object error', 'boom'],
    ['null', null],
  ])('finds no hint in %s', (_, error) => {
    expect(retryAfterOf(error, NOW)).toBeUndefined();
  });

  it("reads a BreakerOpenError's time to half-open", () => {
    expect(retryAfterOf(new BreakerOpenError('db', 'open', 4200), NOW)).toBe(4200);
    expect(retryAfterOf(new BreakerOpenError('db', 'isolated', Infinity), NOW)).toBe(Infinity);
  });
});
