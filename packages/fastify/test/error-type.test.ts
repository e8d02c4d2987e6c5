import { describe, expect, it } from 'vitest';
import { errorTypeOf } from '../src/error-type.js';

class PaymentError extends Error {}

describe('errorTypeOf', () => {
  it('names an error by its class, or by its code when that is an upper-case identifier', () => {
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf(new PaymentError('declined'))).toBe('PaymentError');
    expect(errorTypeOf(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(errorTypeOf(Object.assign(new Error('x'), { code: 'FST_ERR_BAD_STATUS_CODE' }))).toBe(
      'FST_ERR_BAD_STATUS_CODE',
    );
  });

  it('does not take free text or numbers from the error as its type', () => {
    expect(errorTypeOf(Object.assign(new Error('x'), { code: 'user 42 not found' }))).toBe('Error');
    expect(errorTypeOf(Object.assign(new PaymentError('x'), { code: 500 }))).toBe('PaymentError');
  });

  it("answers 'Error' for values that are not errors", () => {
    expect(errorTypeOf('boom')).toBe('Error');
    expect(errorTypeOf(null)).toBe('Error');
    expect(errorTypeOf({ message: 'plain object' })).toBe('Error');
    expect(errorTypeOf(Object.create(null))).toBe('Error');
  });
});
