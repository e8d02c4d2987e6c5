import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { STORAGE_ERROR_CODES, StoreError } from '../src/index.js';

describe('StoreError', () => {
  it('is a VigilError with a stable code, a name and a cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new StoreError('STORE_UNAVAILABLE', 'the server did not answer', { cause });
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', name: 'StoreError', cause });
  });

  it('lists every code the package declares, and brands its class on its own', () => {
    expect(STORAGE_ERROR_CODES).toEqual([
      'STORE_CORRUPT',
      'STORE_UNAVAILABLE',
      'STORE_INVALID_ARGUMENT',
    ]);
    expect(StoreError.brand).toBe('vigil.storage.StoreError');
    expect(new VigilError('STORE_CORRUPT', 'not branded')).not.toBeInstanceOf(StoreError);
  });
});
