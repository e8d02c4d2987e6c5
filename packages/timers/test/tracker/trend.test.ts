import { describe, expect, it } from 'vitest';
import { trendOf } from '../../src/tracker/trend.js';

const values = (...v: number[]) => Float64Array.from(v);

describe('trendOf()', () => {
  it('is degrading when window means rise faster than the threshold', () => {
    const result = trendOf(values(1, 1, 2, 2, 3, 3, 4, 4, 5, 5), 10, 5, 0.05);
    expect(result.trend).toBe('degrading');
    expect(result.slope).toBeCloseTo(1 / 3, 10); // +1 a window over a mean of 3
  });

  it('is improving when they fall, stable when flat or within the threshold', () => {
    expect(trendOf(values(5, 5, 4, 4, 3, 3, 2, 2, 1, 1), 10, 5, 0.05).trend).toBe('improving');
    expect(trendOf(values(2, 2, 2, 2, 2, 2, 2, 2, 2, 2), 10, 5, 0.05).trend).toBe('stable');
    expect(trendOf(values(100, 100, 101, 101, 102, 102), 6, 3, 0.05).trend).toBe('stable');
  });

  it('leaves the oldest remainder out and is stable with fewer than two values per window', () => {
    expect(trendOf(values(99, 1, 1, 1, 1), 5, 2, 0.05).trend).toBe('stable');
    expect(trendOf(values(1, 2, 3), 3, 2, 0.05)).toEqual({ trend: 'stable', slope: 0 });
    expect(trendOf(values(0, 0, 0, 0), 4, 2, 0.05).trend).toBe('stable');
  });
});
