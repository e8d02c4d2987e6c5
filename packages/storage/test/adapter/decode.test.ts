import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import {
  checkShape,
  corrupt,
  deadLetterSchema,
  decodeJson,
  labelsSchema,
  leaseSchema,
} from '../../src/adapter/index.js';
import { StoreError } from '../../src/index.js';

function thrown(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (error) {
    return error as StoreError;
  }
  throw new Error('expected a throw');
}

describe('decodeJson', () => {
  it('returns data of the expected shape', () => {
    expect(decodeJson('labels', '{"a":"1"}', labelsSchema)).toEqual({ a: '1' });
    const lease = { name: 'l', owner: 'o', token: 3, expiresAt: 5 };
    expect(decodeJson('lease', JSON.stringify(lease), leaseSchema)).toEqual(lease);
  });

  it('rejects invalid JSON as STORE_CORRUPT, with the parse error as cause', () => {
    const error = thrown(() => decodeJson('record x', '{"a":', labelsSchema));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toBeInstanceOf(VigilError);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toMatch(/record x is corrupt \(not valid JSON\)/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('rejects non-text and wrong shapes, naming what is wrong', () => {
    expect(thrown(() => decodeJson('labels', 42, labelsSchema)).message).toMatch(
      /expected JSON text, got number/,
    );
    const error = thrown(() =>
      decodeJson('lease l', '{"name":"l","owner":"","token":0}', leaseSchema),
    );
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toMatch(/lease l is corrupt/);
    expect(error.message).toMatch(/token/);
    expect(error.message).not.toMatch(/\n/);
  });

  it('checks dead letters field by field', () => {
    const letter = {
      id: 'a',
      queue: 'q',
      payload: null,
      error: { message: 'm' },
      attempts: 0,
      failedAt: 1,
    };
    expect(checkShape('letter', letter, deadLetterSchema)).toEqual(letter);
    expect(() => checkShape('letter', { ...letter, attempts: 1.5 }, deadLetterSchema)).toThrow(
      /attempts/,
    );
    expect(() => checkShape('letter', { ...letter, error: 'm' }, deadLetterSchema)).toThrow(
      StoreError,
    );
    expect(() => checkShape('labels', { a: 1 }, labelsSchema)).toThrow(/labels is corrupt/);
  });

  it('corrupt() builds the error adapters throw for their own checks', () => {
    const cause = new Error('bad row');
    const error = corrupt('row 7', 'version is negative', cause);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(/row 7 is corrupt \(version is negative\).*remove or repair it/);
  });
});
