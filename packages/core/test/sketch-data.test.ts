import { describe, expect, it } from 'vitest';
import { VigilError } from '../src/errors.js';
import { readSketchData, type SketchData } from '../src/sketch/sketch-data.js';

// The values 1, 2, -3 and 0 at scale 0, where bucket i holds (2^i, 2^(i+1)].
const valid: SketchData = {
  scale: 0,
  count: 4,
  sum: 0,
  min: -3,
  max: 2,
  zeroCount: 1,
  positive: { offset: -1, counts: [1, 1] },
  negative: { offset: 1, counts: [1] },
};

function errorOf(data: unknown): unknown {
  try {
    readSketchData(data);
  } catch (error) {
    return error;
  }
  throw new Error('expected readSketchData to throw');
}

describe('readSketchData', () => {
  it('returns consistent data as it is', () => {
    expect(readSketchData(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
    const empty = {
      ...valid,
      count: 0,
      zeroCount: 0,
      sum: 0,
      positive: { offset: 0, counts: [] },
      negative: { offset: 0, counts: [] },
    };
    // An empty sketch's min and max carry nothing; any finite numbers pass.
    expect(readSketchData({ ...empty, min: 5, max: -5 })).toEqual({ ...empty, min: 5, max: -5 });
  });

  it('rejects malformed data with INVALID_VALUE naming the field that is wrong', () => {
    const malformed: [unknown, RegExp][] = [
      [null, /should be an object, got null/],
      ['sketch', /should be an object, got string/],
      [[valid], /should be an object, got an array of 1/],
      [{ ...valid, scale: 11 }, /scale should be an integer from 0 to 10, got 11/],
      [{ ...valid, scale: '6' }, /scale should .* got string/],
      [{ ...valid, count: 5 }, /count should equal the bucket counts plus zeroCount \(4\), got 5/],
      [{ ...valid, count: -1 }, /count should be a non-negative integer, got -1/],
      [{ ...valid, zeroCount: 0.5 }, /zeroCount should be a non-negative integer, got 0.5/],
      [{ ...valid, sum: Number.NaN }, /sum should be a finite number, got NaN/],
      [{ ...valid, min: Number.POSITIVE_INFINITY }, /min should be a finite number/],
      [{ ...valid, max: undefined }, /max should be a finite number, got undefined/],
      [{ ...valid, min: 3, max: 2 }, /min should be at most max, got 3 > 2/],
      // A negative value was counted, so min must be negative; a positive one, so max positive.
      [{ ...valid, min: 1 }, /min and max should agree with the buckets/],
      [{ ...valid, min: -3, max: -1 }, /min and max should agree/],
      // Zeros were counted, so min cannot be positive.
      [{ ...valid, negative: { offset: 0, counts: [] }, count: 3, min: 1 }, /should agree/],
      [{ ...valid, positive: null }, /positive should be an object \{ offset, counts \}/],
      [{ ...valid, positive: { offset: 1.5, counts: [1] } }, /positive.offset should be an/],
      [{ ...valid, positive: { offset: 0, counts: '1' } }, /positive.counts should be an array/],
      [{ ...valid, positive: { offset: -1, counts: [-1, 3] } }, /positive.counts\[0\] should/],
      [{ ...valid, positive: { offset: -1, counts: [1, 'x'] } }, /positive.counts\[1\] should/],
      // At scale 0 the buckets of finite numbers are -1075 to 1023.
      [{ ...valid, negative: { offset: 1e9, counts: [1] } }, /negative buckets .* -1075..1023/],
      [
        { ...valid, negative: { offset: 0, counts: new Array<number>(4097).fill(0) } },
        /negative.counts should be an array of at most 4096 counts, got an array of 4097/,
      ],
    ];
    for (const [data, message] of malformed) {
      const error = errorOf(data);
      expect(error).toBeInstanceOf(VigilError);
      expect(error).toMatchObject({
        code: 'INVALID_VALUE',
        message: expect.stringMatching(message),
      });
    }
  });

  it('names the type of hostile input rather than printing it', () => {
    const huge = 'x'.repeat(100_000);
    const error = errorOf({ ...valid, positive: { offset: -1, counts: huge } }) as Error;
    expect(error.message).toMatch(/got string$/);
    expect(error.message.length).toBeLessThan(200);
  });
});
