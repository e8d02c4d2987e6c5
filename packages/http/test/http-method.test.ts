import { describe, expect, it } from 'vitest';
import { KNOWN_HTTP_METHODS, normalizeMethod } from '../src/index.js';

describe('normalizeMethod', () => {
  it('keeps the methods the conventions know and makes anything else _OTHER', () => {
    for (const method of KNOWN_HTTP_METHODS) expect(normalizeMethod(method)).toBe(method);
    expect(KNOWN_HTTP_METHODS).toHaveLength(9);
    for (const method of ['get', 'Post', 'PROPFIND', 'BREW', '', 'GET ']) {
      expect(normalizeMethod(method)).toBe('_OTHER');
    }
    expect(normalizeMethod('QUERY', ['QUERY'])).toBe('QUERY');
  });
});
