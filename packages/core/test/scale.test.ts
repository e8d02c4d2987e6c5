import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../src/errors.js';
import { checkScale, DEFAULT_SKETCH_SCALE, isScale, MAX_SCALE } from '../src/sketch/scale.js';

describe('scale', () => {
  it('is an integer from 0 to MAX_SCALE, defaulting to 6', () => {
    expect(MAX_SCALE).toBe(10);
    expect(DEFAULT_SKETCH_SCALE).toBe(6);
    for (let scale = 0; scale <= MAX_SCALE; scale++) expect(isScale(scale)).toBe(true);
    for (const scale of [-1, 11, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '6', null, undefined]) {
      expect(isScale(scale)).toBe(false);
    }
  });

  it('is checked with INVALID_OPTION naming the bad value', () => {
    expect(() => checkScale(6)).not.toThrow();
    expect(() => checkScale(11)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/got 11$/),
      }),
    );
    expect(() => checkScale('6' as unknown as number)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/got string$/) }),
    );
    expect(() => checkScale(-1)).toThrow(ConfigurationError);
  });
});
