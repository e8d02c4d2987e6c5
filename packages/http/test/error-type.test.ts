import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { errorType, HttpError } from '../src/index.js';

class BreakerOpenError extends VigilError {
  static override readonly brand = 'test.BreakerOpenError';
  constructor() {
    super('BREAKER_OPEN', 'the breaker is open');
  }
}

class PaymentError extends Error {}

describe('errorType', () => {
  it("is the error's class: a VigilError's class, not its code", () => {
    expect(errorType(new BreakerOpenError())).toBe('BreakerOpenError');
    expect(errorType(new HttpError('HTTP_NOT_FOUND', 'x'))).toBe('HttpError');
  });

  it('reads the name a class set, else the constructor name', () => {
    expect(errorType(new TypeError('x'))).toBe('TypeError');
    expect(errorType(new PaymentError('x'))).toBe('PaymentError');
    expect(errorType(new DOMException('x', 'AbortError'))).toBe('AbortError');
  });

  it("falls back to a plain Error's code, then to 'Error'", () => {
    expect(errorType(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorType(Object.assign(new Error('x'), { code: 'not a code' }))).toBe('Error');
    expect(errorType(new Error('x'))).toBe('Error');
    expect(errorType({ message: 'x' })).toBe('Error');
  });

  it("answers '_OTHER' for a thrown value that is not an object, and cuts long names", () => {
    expect(errorType('boom')).toBe('_OTHER');
    expect(errorType(undefined)).toBe('_OTHER');
    expect(errorType({ name: 'N'.repeat(100) })).toBe('N'.repeat(64));
  });
});
