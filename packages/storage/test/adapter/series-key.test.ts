import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seriesKey } from '../../src/adapter/index.js';

describe('seriesKey', () => {
  it('does not depend on label order', () => {
    expect(seriesKey({ b: '2', a: '1' })).toBe(seriesKey({ a: '1', b: '2' }));
    expect(seriesKey({})).toBe('{}');
  });

  it('keeps label sets with separators in their values apart', () => {
    expect(seriesKey({ a: 'x","b":"y' })).not.toBe(seriesKey({ a: 'x', b: 'y' }));
    expect(seriesKey({ a: 'b|c' })).not.toBe(seriesKey({ 'a|b': 'c' }));
  });

  it('keeps a label named __proto__', () => {
    const labels = JSON.parse('{"__proto__":"x","a":"1"}') as Record<string, string>;
    expect(seriesKey(labels)).toBe('{"__proto__":"x","a":"1"}');
  });

  it('round-trips: the key parses back to the labels (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (labels) => {
        expect(JSON.parse(seriesKey(labels))).toEqual({ ...labels });
      }),
    );
  });

  it('is injective: different label sets, different keys (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })),
        (a, b) => {
          const same =
            JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
          expect(seriesKey(a) === seriesKey(b)).toBe(same);
        },
      ),
    );
  });
});
