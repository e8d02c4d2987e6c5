import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SKETCH_SCALE, ExponentialSketch } from '../src/sketch/exponential-sketch.js';
import { WindowedSketch, type WindowedSketchOptions } from '../src/sketch/windowed-sketch.js';

function manualClock(start = 0): { now: () => number; set: (time: number) => void } {
  let time = start;
  return {
    now: () => time,
    set: (next) => {
      time = next;
    },
  };
}

function sketchOf(values: readonly number[], scale?: number): ExponentialSketch {
  const sketch = new ExponentialSketch(scale);
  for (const value of values) sketch.add(value);
  return sketch;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('WindowedSketch', () => {
  it('drops an age bucket each period, so observations expire within maxAge', () => {
    const clock = manualClock(1_000);
    // Three buckets of 20 s each.
    const window = new WindowedSketch({ maxAgeMs: 60_000, ageBuckets: 3, now: clock.now });
    window.add(1);
    clock.set(21_000);
    window.add(2);
    clock.set(41_000);
    window.add(3);
    clock.set(60_999);
    expect(window.count).toBe(3);
    clock.set(61_000);
    expect(window.count).toBe(2);
    expect(window.quantile(0)).toBe(2);
    clock.set(81_000);
    expect(window.count).toBe(1);
    expect(window.quantile(0.5)).toBe(3);
    clock.set(101_000);
    expect(window.count).toBe(0);
    expect(window.quantile(0.5)).toBeNaN();
  });

  it('catches up several periods at once after an idle spell', () => {
    const clock = manualClock();
    const window = new WindowedSketch({ maxAgeMs: 60_000, ageBuckets: 3, now: clock.now });
    window.add(10);
    clock.set(25_000);
    window.add(20);
    // Two periods have passed since 40 s: the buckets of 40–60 s and of 0–20 s are cleared.
    clock.set(65_000);
    expect(window.count).toBe(1);
    expect(window.merged().toJSON()).toEqual(sketchOf([20]).toJSON());
    clock.set(85_000);
    expect(window.count).toBe(0);
  });

  it('clears everything after a whole window of idleness, then records again', () => {
    const clock = manualClock();
    const window = new WindowedSketch({ maxAgeMs: 10_000, ageBuckets: 5, now: clock.now });
    for (let i = 1; i <= 100; i++) {
      clock.set(i * 90);
      window.add(i);
    }
    expect(window.count).toBe(100);
    clock.set(1e12);
    expect(window.count).toBe(0);
    expect(window.merged().isEmpty()).toBe(true);
    window.add(7);
    expect(window.count).toBe(1);
    expect(window.quantile(1)).toBe(7);
  });

  it('estimates quantiles over the values in the window only', () => {
    const clock = manualClock();
    const window = new WindowedSketch({ maxAgeMs: 60_000, ageBuckets: 6, now: clock.now });
    for (let i = 1; i <= 100; i++) window.add(i);
    clock.set(30_000);
    for (let i = 1_001; i <= 1_100; i++) window.add(i);
    const bound = ExponentialSketch.relativeError(6);
    expect(Math.abs(window.quantile(0.25) - 50) / 50).toBeLessThanOrEqual(bound);
    expect(Math.abs(window.quantile(0.75) - 1_050) / 1_050).toBeLessThanOrEqual(bound);
    clock.set(60_000);
    expect(window.quantile(0)).toBe(1_001);
    expect(Math.abs(window.quantile(0.5) - 1_050) / 1_050).toBeLessThanOrEqual(bound);
  });

  it('records each observation once, and merged() holds exactly the window', () => {
    const clock = manualClock();
    const window = new WindowedSketch({
      maxAgeMs: 1_000,
      ageBuckets: 10,
      scale: 4,
      now: clock.now,
    });
    const values = [0.5, 3, 3, -2, 0, 1e4];
    for (const value of values) window.add(value);
    const merged = window.merged();
    expect(merged.scale).toBe(4);
    expect(merged.count).toBe(values.length);
    expect(merged.toJSON()).toEqual(sketchOf(values, 4).toJSON());
    window.add(99);
    expect(merged.count).toBe(values.length);
    expect(window.merged().count).toBe(values.length + 1);
  });

  it('matches a model of which observations are still live', () => {
    // Whole-millisecond periods, so the model's integer arithmetic is exact.
    const step = fc.record({
      advanceMs: fc.integer({ min: 0, max: 2_500 }),
      value: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(step, { maxLength: 80 }),
        (ageBuckets, steps) => {
          const periodMs = 250;
          const clock = manualClock(5_000);
          const window = new WindowedSketch({
            maxAgeMs: periodMs * ageBuckets,
            ageBuckets,
            now: clock.now,
          });
          const seen: { period: number; value: number }[] = [];
          let time = 5_000;
          for (const { advanceMs, value } of steps) {
            time += advanceMs;
            clock.set(time);
            window.add(value);
            seen.push({ period: Math.floor((time - 5_000) / periodMs), value });
          }
          const current = Math.floor((time - 5_000) / periodMs);
          const live = seen.filter((o) => current - o.period < ageBuckets).map((o) => o.value);
          expect(window.count).toBe(live.length);
          const { sum, ...content } = window.merged().toJSON();
          const { sum: expectedSum, ...expected } = sketchOf(live).toJSON();
          expect(content).toEqual(expected);
          expect(sum).toBeCloseTo(expectedSum, 6);
        },
      ),
    );
  });

  it('reads as empty, at its scale, before any observation', () => {
    const now = (): number => 0;
    const window = new WindowedSketch({ maxAgeMs: 1_000, ageBuckets: 5, now });
    expect(window.count).toBe(0);
    expect(window.quantile(0.5)).toBeNaN();
    expect(window.merged().toJSON()).toEqual(new ExponentialSketch().toJSON());
    expect(window.merged().scale).toBe(DEFAULT_SKETCH_SCALE);
    window.reset();
    const scaled = new WindowedSketch({ maxAgeMs: 1_000, ageBuckets: 5, scale: 3, now });
    expect(scaled.merged().scale).toBe(3);
    scaled.add(2);
    expect(scaled.merged().toJSON()).toEqual(sketchOf([2], 3).toJSON());
  });

  it('empties on reset', () => {
    const clock = manualClock();
    const window = new WindowedSketch({ maxAgeMs: 60_000, ageBuckets: 3, now: clock.now });
    window.add(1);
    clock.set(30_000);
    window.add(2);
    window.reset();
    expect(window.count).toBe(0);
    expect(window.quantile(0.5)).toBeNaN();
    window.add(3);
    expect(window.merged().toJSON()).toEqual(sketchOf([3]).toJSON());
  });

  it('rejects invalid options with INVALID_OPTION', () => {
    const now = (): number => 0;
    const invalid: unknown[] = [
      { maxAgeMs: 0, ageBuckets: 5, now },
      { maxAgeMs: -1, ageBuckets: 5, now },
      { maxAgeMs: Number.POSITIVE_INFINITY, ageBuckets: 5, now },
      { maxAgeMs: Number.NaN, ageBuckets: 5, now },
      { maxAgeMs: '60s', ageBuckets: 5, now },
      { maxAgeMs: 60_000, ageBuckets: 0, now },
      { maxAgeMs: 60_000, ageBuckets: 61, now },
      { maxAgeMs: 60_000, ageBuckets: 2.5, now },
      { maxAgeMs: 60_000, ageBuckets: 5, scale: 11, now },
      { maxAgeMs: 60_000, ageBuckets: 5, scale: 2.5, now },
      { maxAgeMs: 60_000, ageBuckets: 5, now: 0 },
      { maxAgeMs: 60_000, ageBuckets: 5, now: () => Number.NaN },
    ];
    for (const options of invalid) {
      const error = thrown(() => new WindowedSketch(options as WindowedSketchOptions));
      expect(error).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/should/),
      });
    }
    expect(new WindowedSketch({ maxAgeMs: 1, ageBuckets: 60, now }).count).toBe(0);
  });
});
