import { describe, expect, it } from 'vitest';
import {
  bucketStart,
  cellOf,
  combineCells,
  downsample,
  rollupFor,
  valueOfCell,
} from '../../src/adapter/index.js';
import { ROLLUP_RESOLUTIONS } from '../../src/index.js';

describe('bucketStart', () => {
  it('aligns to multiples of step since the epoch, before the epoch too', () => {
    expect(bucketStart(125_000, 60_000)).toBe(120_000);
    expect(bucketStart(120_000, 60_000)).toBe(120_000);
    expect(bucketStart(-1, 60_000)).toBe(-60_000);
    expect(bucketStart(-60_000, 60_000)).toBe(-60_000);
    expect(bucketStart(10, 7)).toBe(7);
  });
});

describe('rollupFor', () => {
  it('picks the coarsest resolution that tiles the step, or none', () => {
    expect(rollupFor(60_000, ROLLUP_RESOLUTIONS)).toBe(60_000);
    expect(rollupFor(300_000, ROLLUP_RESOLUTIONS)).toBe(60_000);
    expect(rollupFor(3_600_000, ROLLUP_RESOLUTIONS)).toBe(3_600_000);
    expect(rollupFor(86_400_000, ROLLUP_RESOLUTIONS)).toBe(3_600_000);
    expect(rollupFor(5_400_000, ROLLUP_RESOLUTIONS)).toBe(60_000);
    expect(rollupFor(45_000, ROLLUP_RESOLUTIONS)).toBeUndefined();
    expect(rollupFor(90_000, ROLLUP_RESOLUTIONS)).toBeUndefined();
    expect(rollupFor(1_000, ROLLUP_RESOLUTIONS)).toBeUndefined();
  });
});

describe('cells', () => {
  it('combine count, sum, min, max and the latest value', () => {
    const cell = combineCells(cellOf(10, 5), cellOf(5, -2));
    combineCells(cell, cellOf(7, 9));
    expect(cell).toEqual({ count: 3, sum: 12, min: -2, max: 9, last: 5, lastAt: 10 });
    expect(valueOfCell(cell, 'avg')).toBe(4);
    expect(valueOfCell(cell, 'sum')).toBe(12);
    expect(valueOfCell(cell, 'min')).toBe(-2);
    expect(valueOfCell(cell, 'max')).toBe(9);
    expect(valueOfCell(cell, 'last')).toBe(5);
  });

  it('on equal timestamps the later cell wins last', () => {
    expect(combineCells(cellOf(10, 1), cellOf(10, 2)).last).toBe(2);
  });
});

describe('downsample', () => {
  it('buckets cells given in any order and answers in increasing time', () => {
    const cells = [
      [61_000, cellOf(61_000, 4)],
      [1_000, cellOf(1_000, 1)],
      [59_999, cellOf(59_999, 3)],
    ] as const;
    expect(downsample(cells, 60_000, 'sum')).toEqual([
      [0, 4],
      [60_000, 4],
    ]);
    expect(downsample(cells, 60_000, 'last')).toEqual([
      [0, 3],
      [60_000, 4],
    ]);
    expect(downsample([], 60_000, 'avg')).toEqual([]);
  });

  it('does not change the cells it is given', () => {
    const cell = cellOf(0, 1);
    downsample(
      [
        [0, cell],
        [1, cellOf(1, 2)],
      ],
      10,
      'sum',
    );
    expect(cell).toEqual(cellOf(0, 1));
  });
});
