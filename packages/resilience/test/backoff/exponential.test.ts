import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialDelay } from '../../src/backoff/exponential.js';

describe('exponentialDelay', () => {
  it('grows by factor from initialDelay and stops at maxDelay', () => {
    const delays = [1, 2, 3, 4, 5].map((retry) => exponentialDelay(retry, 100, 3, 2000));
    expect(delays).toEqual([100, 300, 900, 2000, 2000]);
  });

  it('stays at maxDelay for huge retry numbers instead of reaching Infinity or NaN', () => {
    expect(exponentialDelay(10_000, 100, 2, 30_000)).toBe(30_000);
    expect(exponentialDelay(10_000, 0, 2, 30_000)).toBe(0);
  });

  it('never decreases and never leaves [min(initialDelay, maxDelay), maxDelay]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 2000 }),
        (initialDelay, extra, factor, retry) => {
          const maxDelay = initialDelay + extra;
          const delay = exponentialDelay(retry, initialDelay, factor, maxDelay);
          const nextDelay = exponentialDelay(retry + 1, initialDelay, factor, maxDelay);
          expect(delay).toBeGreaterThanOrEqual(initialDelay);
          expect(delay).toBeLessThanOrEqual(maxDelay);
          expect(nextDelay).toBeGreaterThanOrEqual(delay);
        },
      ),
    );
  });
});
