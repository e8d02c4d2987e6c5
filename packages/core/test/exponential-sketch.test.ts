import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VigilError } from '../src/errors.js';
import {
  DEFAULT_SKETCH_SCALE,
  ExponentialSketch,
  type SketchData,
} from '../src/sketch/exponential-sketch.js';

function sketchOf(values: readonly number[], scale?: number): ExponentialSketch {
  const sketch = new ExponentialSketch(scale);
  for (const value of values) sketch.add(value);
  return sketch;
}

// The rank definition the sketch documents: nearest rank ceil(q·n), 1-based, q = 0 → first.
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

// Floating-point sums depend on the order of addition; everything else must match exactly.
function expectSameContent(actual: ExponentialSketch, expected: ExponentialSketch): void {
  const { sum: actualSum, ...actualRest } = actual.toJSON();
  const { sum: expectedSum, ...expectedRest } = expected.toJSON();
  expect(actualRest).toEqual(expectedRest);
  // Rounding error grows with the magnitudes added, not with the (possibly cancelled) total.
  const scale =
    expectedRest.count * Math.max(1, Math.abs(expectedRest.min), Math.abs(expectedRest.max));
  expect(Math.abs(actualSum - expectedSum)).toBeLessThanOrEqual(1e-9 * scale);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function logNormalSamples(count: number, seed: number, mu = Math.log(50), sigma = 1): number[] {
  const random = mulberry32(seed);
  const samples: number[] = [];
  while (samples.length < count) {
    // Box–Muller; 1 - random() keeps the logarithm's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    samples.push(Math.exp(mu + sigma * r * Math.cos(2 * Math.PI * random())));
  }
  return samples;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ExponentialSketch', () => {
  it('places values in upper-inclusive base-2 buckets at scale 0 and estimates each bucket', () => {
    const sketch = sketchOf([1, 2, 3, 4], 0);
    expect(sketch.toJSON()).toEqual({
      scale: 0,
      count: 4,
      sum: 10,
      min: 1,
      max: 4,
      zeroCount: 0,
      positive: { offset: -1, counts: [1, 1, 2] },
      negative: { offset: 0, counts: [] },
    });
    // (0.5, 1] estimates 2/3, clamped up to min; (1, 2] → 4/3; (2, 4] → 8/3.
    expect(sketch.quantile(0)).toBe(1);
    expect(sketch.quantile(0.5)).toBeCloseTo(4 / 3, 12);
    expect(sketch.quantile(0.75)).toBeCloseTo(8 / 3, 12);
    expect(sketch.quantile(1)).toBeCloseTo(8 / 3, 12);
  });

  it('puts an exact power of two in the bucket it closes, as OpenTelemetry does', () => {
    for (const scale of [0, 3, 6, 10]) {
      for (const exponent of [-1074, -20, -1, 0, 1, 20, 1023]) {
        const data = sketchOf([2 ** exponent], scale).toJSON();
        expect(data.positive).toEqual({ offset: exponent * 2 ** scale - 1, counts: [1] });
      }
    }
  });

  it('reports NaN for an empty sketch and a plain zeroed JSON form', () => {
    const sketch = new ExponentialSketch();
    expect(sketch.scale).toBe(DEFAULT_SKETCH_SCALE);
    expect(sketch.isEmpty()).toBe(true);
    expect(sketch.count).toBe(0);
    expect(sketch.sum).toBe(0);
    expect(sketch.min).toBeNaN();
    expect(sketch.max).toBeNaN();
    expect(sketch.quantile(0.5)).toBeNaN();
    expect(sketch.toJSON()).toEqual({
      scale: 6,
      count: 0,
      sum: 0,
      min: 0,
      max: 0,
      zeroCount: 0,
      positive: { offset: 0, counts: [] },
      negative: { offset: 0, counts: [] },
    });
  });

  it('orders negative values, zeros and positive values', () => {
    const sketch = sketchOf([3, 0, -4, -0, -1], 0);
    expect(sketch.toJSON()).toMatchObject({
      count: 5,
      sum: -2,
      min: -4,
      max: 3,
      zeroCount: 2,
      positive: { offset: 1, counts: [1] },
      negative: { offset: -1, counts: [1, 0, 1] },
    });
    expect(sketch.quantile(0)).toBeCloseTo(-8 / 3, 12);
    expect(sketch.quantile(0.4)).toBeCloseTo(-2 / 3, 12);
    expect(sketch.quantile(0.6)).toBe(0);
    expect(sketch.quantile(0.8)).toBe(0);
    // (2, 4] estimates 8/3, inside [min, max], so no clamping.
    expect(sketch.quantile(1)).toBeCloseTo(8 / 3, 12);
  });

  it('clamps estimates into the range of values seen', () => {
    const sketch = sketchOf([100, 100, 100], 0);
    expect(sketch.quantile(0)).toBe(100);
    expect(sketch.quantile(1)).toBe(100);
    const negative = sketchOf([-100], 0);
    expect(negative.quantile(0.5)).toBe(-100);
  });

  it('handles the extremes of the double range', () => {
    for (const value of [Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE]) {
      const sketch = sketchOf([value], 10);
      expect(sketch.quantile(0.5)).toBe(value);
      expectSameContent(ExponentialSketch.fromJSON(sketch.toJSON()), sketch);
    }
  });

  it('rejects a quantile outside [0, 1]', () => {
    const sketch = sketchOf([1]);
    for (const q of [-0.1, 1.01, Number.NaN]) {
      expect(thrown(() => sketch.quantile(q))).toMatchObject({ code: 'INVALID_OPTION' });
    }
  });

  it('resets to empty and fills again like a new sketch', () => {
    const sketch = sketchOf([5, -3, 0, 1e6]);
    sketch.reset();
    expect(sketch.isEmpty()).toBe(true);
    expect(sketch.quantile(0.9)).toBeNaN();
    expect(sketch.toJSON()).toEqual(new ExponentialSketch().toJSON());
    for (const value of [7, 8, 1e-3]) sketch.add(value);
    expect(sketch.toJSON()).toEqual(sketchOf([7, 8, 1e-3]).toJSON());
  });

  it('clones into an independent sketch', () => {
    const original = sketchOf([1, 2, 3]);
    const copy = original.clone();
    expect(copy.toJSON()).toEqual(original.toJSON());
    copy.add(1000);
    expect(original.count).toBe(3);
    expect(original.max).toBe(3);
    expect(copy.max).toBe(1000);
  });

  it('round-trips through JSON text', () => {
    const sketch = sketchOf([0.25, 12, 12, -7, 0, 3e5], 4);
    const restored = ExponentialSketch.fromJSON(JSON.parse(JSON.stringify(sketch)));
    expect(restored.toJSON()).toEqual(sketch.toJSON());
    expect(restored.quantile(0.5)).toBe(sketch.quantile(0.5));
    expect(ExponentialSketch.fromJSON(new ExponentialSketch(3).toJSON()).min).toBeNaN();
  });

  it('rejects malformed JSON with INVALID_VALUE, as readSketchData checks it', () => {
    const valid: SketchData = sketchOf([1, 2, -3, 0]).toJSON();
    for (const data of [null, { ...valid, count: 5 }, { ...valid, negative: null }]) {
      const error = thrown(() => ExponentialSketch.fromJSON(data));
      expect(error).toBeInstanceOf(VigilError);
      expect(error).toMatchObject({
        code: 'INVALID_VALUE',
        message: expect.stringMatching(/should/),
      });
    }
  });

  it('takes negative values after positive ones, and merges them into a sketch without any', () => {
    const sketch = sketchOf([4, 8], 0);
    sketch.add(-2);
    expect(sketch.toJSON().negative).toEqual({ offset: 0, counts: [1] });
    const positive = sketchOf([4], 0);
    positive.merge(sketchOf([-2, -16], 0));
    expect(positive.toJSON()).toEqual(sketchOf([4, -2, -16], 0).toJSON());
    expect(positive.min).toBe(-16);
    // -16 closes the bucket (8, 16], which estimates 32/3.
    expect(positive.quantile(0)).toBeCloseTo(-32 / 3, 12);
    positive.reset();
    expect(positive.toJSON()).toEqual(new ExponentialSketch(0).toJSON());
  });

  it('validates the scale', () => {
    for (const scale of [-1, 11, 1.5, Number.NaN]) {
      expect(thrown(() => new ExponentialSketch(scale))).toMatchObject({ code: 'INVALID_OPTION' });
      expect(thrown(() => ExponentialSketch.relativeError(scale))).toMatchObject({
        code: 'INVALID_OPTION',
      });
    }
    expect(new ExponentialSketch(0).scale).toBe(0);
    expect(new ExponentialSketch(10).scale).toBe(10);
  });

  it('relates scale and relative error', () => {
    expect(ExponentialSketch.relativeError(0)).toBeCloseTo(1 / 3, 12);
    expect(ExponentialSketch.relativeError(6)).toBeCloseTo(0.005415, 6);
    expect(ExponentialSketch.scaleForRelativeError(0.01)).toBe(6);
    expect(ExponentialSketch.scaleForRelativeError(0.02)).toBe(5);
    expect(ExponentialSketch.scaleForRelativeError(0.4)).toBe(0);
    for (let scale = 0; scale <= 10; scale++) {
      expect(ExponentialSketch.scaleForRelativeError(ExponentialSketch.relativeError(scale))).toBe(
        scale,
      );
    }
    for (const error of [0, 0.5, -0.1, Number.NaN, 1e-6]) {
      expect(thrown(() => ExponentialSketch.scaleForRelativeError(error))).toMatchObject({
        code: 'INVALID_OPTION',
      });
    }
  });

  it('refuses to merge sketches of different scales', () => {
    const error = thrown(() => sketchOf([1], 6).merge(sketchOf([1], 5)));
    expect(error).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/scale 5.*scale 6/),
    });
  });

  it('folds the lowest buckets past 4096 and keeps high quantiles accurate', () => {
    // At scale 10, 4096 buckets span only a factor of 16.
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const sketch = sketchOf(values, 10);
    expect(sketch.toJSON().positive.counts.length).toBeLessThanOrEqual(4096);
    const bound = ExponentialSketch.relativeError(10) * (1 + 1e-9);
    for (const q of [0.5, 0.9, 0.99, 1]) {
      const exact = exactQuantile(values, q);
      expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(exact * bound);
    }
    // A folded low quantile is overestimated, never below the true value.
    expect(sketch.quantile(0.01)).toBeGreaterThan(100);
    expect(sketch.quantile(0)).toBeGreaterThanOrEqual(1);
  });

  it('meets 1 % on 100k log-normal samples, whole and merged from 10 shards', () => {
    const samples = logNormalSamples(100_000, 42);
    const sorted = [...samples].sort((a, b) => a - b);
    const whole = sketchOf(samples);
    const merged = new ExponentialSketch();
    for (let shard = 0; shard < 10; shard++) {
      merged.merge(sketchOf(samples.slice(shard * 10_000, (shard + 1) * 10_000)));
    }
    expectSameContent(merged, whole);
    for (const q of [0.5, 0.95, 0.99, 0.999]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(whole.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.01);
      expect(merged.quantile(q)).toBe(whole.quantile(q));
    }
  });
});

describe('ExponentialSketch properties', () => {
  const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  const values = fc.array(value, { maxLength: 60 });
  const scale = fc.integer({ min: 0, max: 10 });

  it('merges commutatively', () => {
    fc.assert(
      fc.property(scale, values, values, (s, a, b) => {
        const ab = sketchOf(a, s);
        ab.merge(sketchOf(b, s));
        const ba = sketchOf(b, s);
        ba.merge(sketchOf(a, s));
        expect(ab.toJSON()).toEqual(ba.toJSON());
      }),
    );
  });

  it('merges associatively', () => {
    fc.assert(
      fc.property(scale, values, values, values, (s, a, b, c) => {
        const left = sketchOf(a, s);
        left.merge(sketchOf(b, s));
        left.merge(sketchOf(c, s));
        const right = sketchOf(b, s);
        right.merge(sketchOf(c, s));
        const result = sketchOf(a, s);
        result.merge(right);
        expectSameContent(result, left);
      }),
    );
  });

  it('merged shards equal a sketch of everything, even when buckets fold', () => {
    const wide = fc.double({ min: 1e-300, max: 1e300, noNaN: true });
    const anyValue = fc.oneof(
      value,
      wide,
      wide.map((v) => -v),
    );
    fc.assert(
      fc.property(
        scale,
        fc.array(fc.array(anyValue, { maxLength: 40 }), { maxLength: 6 }),
        (s, shards) => {
          const merged = new ExponentialSketch(s);
          for (const shard of shards) merged.merge(sketchOf(shard, s));
          expectSameContent(merged, sketchOf(shards.flat(), s));
        },
      ),
    );
  });

  it('survives a JSON round trip', () => {
    fc.assert(
      fc.property(scale, values, (s, a) => {
        const sketch = sketchOf(a, s);
        expect(ExponentialSketch.fromJSON(JSON.parse(JSON.stringify(sketch))).toJSON()).toEqual(
          sketch.toJSON(),
        );
      }),
    );
  });

  it('estimates every quantile within the relative error of the nearest-rank value', () => {
    const positive = fc.double({ min: 1e-9, max: 1e9, noNaN: true });
    const signed = fc.oneof(
      positive,
      positive.map((v) => -v),
      fc.constant(0),
    );
    // Up to scale 6 the 4096-bucket cap spans 2^64, wider than [1e-9, 1e9]: nothing folds.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.oneof(positive, signed), { minLength: 1, maxLength: 200 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 10 }),
        (s, data, qs) => {
          const sketch = sketchOf(data, s);
          const sorted = [...data].sort((x, y) => x - y);
          const bound = ExponentialSketch.relativeError(s) * (1 + 1e-9);
          for (const q of [0, 0.5, 0.99, 1, ...qs]) {
            const exact = exactQuantile(sorted, q);
            expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(
              Math.abs(exact) * bound,
            );
          }
        },
      ),
    );
  });
});
