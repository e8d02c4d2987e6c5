import { describe, expect, it } from 'vitest';
import { replayBuckets } from '../src/histogram-replay.js';

/** A histogram like Vigil's: `le` inclusive, the last bucket +Inf. */
function recorder(bounds: readonly number[]) {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  let sum = 0;
  return {
    counts,
    get sum() {
      return sum;
    },
    observe(value: number) {
      let i = 0;
      while (i < bounds.length && value > (bounds[i] as number)) i++;
      counts[i] = (counts[i] as number) + 1;
      sum += value;
    },
  };
}

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('replayBuckets', () => {
  it('reproduces every bucket count exactly and the sum to 1e-9, for random histograms', () => {
    const next = random(42);
    for (let run = 0; run < 300; run++) {
      const bounds = [
        ...new Set(
          Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.round(next() * 1000) / 10),
        ),
      ].sort((a, b) => a - b);
      const values = Array.from({ length: 1 + Math.floor(next() * 50) }, () => next() * 120 - 10);
      const source = recorder(bounds);
      for (const value of values) source.observe(value);
      const withMinMax = run % 2 === 0;
      const target = recorder(bounds);
      replayBuckets(
        bounds,
        {
          counts: source.counts,
          sum: source.sum,
          ...(withMinMax ? { min: Math.min(...values), max: Math.max(...values) } : {}),
        },
        target,
      );
      expect(target.counts).toEqual(source.counts);
      const openBucketUsed =
        (source.counts[0] as number) > 0 || (source.counts[bounds.length] as number) > 0;
      if (withMinMax || openBucketUsed) {
        expect(Math.abs(target.sum - source.sum)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(source.sum)),
        );
      }
    }
  });

  it('puts a value on a bound in the bucket whose upper bound it is', () => {
    const target = recorder([1, 2]);
    replayBuckets([1, 2], { counts: [0, 3, 0], sum: 6 }, target);
    expect(target.counts).toEqual([0, 3, 0]);
    expect(target.sum).toBe(6);
  });

  it('records nothing for an empty delta', () => {
    const target = recorder([1]);
    replayBuckets([1], { counts: [0, 0], sum: 0 }, target);
    expect(target.counts).toEqual([0, 0]);
  });
});
