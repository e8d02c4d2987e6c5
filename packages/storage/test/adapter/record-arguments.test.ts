import { describe, expect, it } from 'vitest';
import {
  checkClaim,
  checkListArguments,
  checkRecordKey,
  checkRecordWrite,
  checkUpdate,
  storedRecord,
} from '../../src/adapter/index.js';

const INVALID = { code: 'STORE_INVALID_ARGUMENT' };

describe('record and idempotency argument checks', () => {
  it('checkRecordWrite checks the address, the value and the ttl', () => {
    expect(checkRecordWrite('ns', 'k', { a: 1 }, undefined)).toEqual({
      json: '{"a":1}',
      ttl: undefined,
    });
    expect(checkRecordWrite('ns', 'k', 1, { ttl: '1m' })).toEqual({ json: '1', ttl: 60_000 });
    expect(() => checkRecordKey('', 'k')).toThrow(/namespace should be a non-empty string/);
    expect(() => checkRecordWrite('ns', 'k', undefined, undefined)).toThrow(
      expect.objectContaining(INVALID),
    );
    expect(() => checkRecordWrite('ns', 'k', 1, { ttl: 0 })).toThrow(/ttl should be a positive/);
  });

  it('checkListArguments wants a string prefix and returns the page size', () => {
    expect(checkListArguments('ns', '', undefined)).toBe(100);
    expect(checkListArguments('ns', 'a', 5)).toBe(5);
    expect(() => checkListArguments('ns', 7, 5)).toThrow('prefix should be a string, got number');
    expect(() => checkListArguments('ns', 'a', 0)).toThrow(expect.objectContaining(INVALID));
  });

  it('checkClaim and checkUpdate check key, value and ttl', () => {
    expect(checkClaim('k', 'v', '2s')).toEqual({ json: '"v"', ttl: 2_000 });
    expect(checkUpdate('k', [1])).toBe('[1]');
    expect(() => checkClaim('k', 'v', -1)).toThrow(expect.objectContaining(INVALID));
    expect(() => checkUpdate('', 1)).toThrow(/key should be a non-empty string/);
  });

  it('storedRecord carries expiresAt only when there is one', () => {
    expect(storedRecord('k', { value: 1, version: 2, expiresAt: null })).toEqual({
      key: 'k',
      value: 1,
      version: 2,
    });
    expect(storedRecord('k', { value: 1, version: 2 })).not.toHaveProperty('expiresAt');
    expect(storedRecord('k', { value: 1, version: 2, expiresAt: 9 })).toEqual({
      key: 'k',
      value: 1,
      version: 2,
      expiresAt: 9,
    });
  });
});
