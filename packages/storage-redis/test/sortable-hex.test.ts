import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortableHex } from '../src/sortable-hex.js';

describe('sortableHex', () => {
  it('orders strings as it orders numbers', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const [x, y] = [sortableHex(a), sortableHex(b)];
        expect(x).toHaveLength(16);
        if (a < b) expect(x < y).toBe(true);
        else if (a > b) expect(x > y).toBe(true);
        else expect(x).toBe(y);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes -0 as 0', () => {
    expect(sortableHex(-0)).toBe(sortableHex(0));
  });
});
