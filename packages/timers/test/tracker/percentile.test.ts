import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/tracker/percentile.js';

describe('percentile()', () => {
  it('interpolates linearly between the closest ranks', () => {
    const sorted = Float64Array.from([1, 2, 3, 4]);
    expect(percentile(sorted, 4, 0)).toBe(1);
    expect(percentile(sorted, 4, 0.5)).toBe(2.5);
    expect(percentile(sorted, 4, 1)).toBe(4);
    expect(percentile(sorted, 3, 0.5)).toBe(2);
  });

  it('is NaN for no values and the value itself for one', () => {
    expect(percentile(new Float64Array(2), 0, 0.5)).toBeNaN();
    expect(percentile(Float64Array.from([7]), 1, 0.95)).toBe(7);
  });
});
