import { describe, expect, it } from 'vitest';
import { BindingCache } from '../src/binding-cache.js';

describe('BindingCache', () => {
  it('finds values by up to three keys', () => {
    const cache = new BindingCache<number>(10);
    cache.set('a', 'b', '', 1);
    cache.set('a', 'c', 'd', 2);
    expect(cache.get('a', 'b', '')).toBe(1);
    expect(cache.get('a', 'c', 'd')).toBe(2);
    expect(cache.get('a', 'c', '')).toBeUndefined();
    expect(cache.get('x', 'b', '')).toBeUndefined();
  });

  it('starts over once it holds max values', () => {
    const cache = new BindingCache<number>(2);
    cache.set('a', '', '', 1);
    cache.set('a', '', '', 1); // a replacement does not count twice
    cache.set('b', '', '', 2);
    cache.set('c', '', '', 3);
    expect(cache.get('a', '', '')).toBeUndefined();
    expect(cache.get('c', '', '')).toBe(3);
  });
});
