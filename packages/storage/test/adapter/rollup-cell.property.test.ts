import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketStart,
  cellOf,
  combineCells,
  downsample,
  type RollupCell,
} from '../../src/adapter/index.js';
import type { Aggregation } from '../../src/index.js';
import { referenceSeries } from '../../src/testing/index.js';

const aggregation = fc.constantFrom<Aggregation>('avg', 'min', 'max', 'last', 'sum');
// Distinct timestamps within a day, integer values: sums are exact in any order.
const points = fc
  .uniqueArray(fc.integer({ min: 0, max: 86_400_000 }), { maxLength: 300 })
  .chain((times) =>
    fc.tuple(
      fc.constant(times),
      fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), {
        minLength: times.length,
        maxLength: times.length,
      }),
    ),
  )
  .map(([times, values]) =>
    times.map((timestamp, i) => ({
      metric: 'm',
      labels: {},
      timestamp,
      value: values[i] as number,
    })),
  );

function rollup(
  raw: ReadonlyArray<{ timestamp: number; value: number }>,
  resolution: number,
): Array<[number, RollupCell]> {
  const cells = new Map<number, RollupCell>();
  for (const { timestamp, value } of raw) {
    const start = bucketStart(timestamp, resolution);
    const cell = cells.get(start);
    if (cell === undefined) cells.set(start, cellOf(timestamp, value));
    else combineCells(cell, cellOf(timestamp, value));
  }
  return [...cells];
}

describe('rollup cells (law)', () => {
  it('downsampling rollup cells equals aggregating the raw points', () => {
    fc.assert(
      fc.property(
        points,
        fc.constantFrom(60_000, 3_600_000),
        fc.integer({ min: 1, max: 24 }),
        aggregation,
        (raw, resolution, multiple, agg) => {
          const step = resolution * multiple;
          const fromCells = downsample(rollup(raw, resolution), step, agg);
          const reference = referenceSeries(raw, {
            from: 0,
            to: 86_400_001,
            step,
            aggregation: agg,
          });
          expect(fromCells).toEqual(reference);
        },
      ),
    );
  });

  it('raw points as one-point cells give the reference answer for any step', () => {
    fc.assert(
      fc.property(
        points,
        fc.integer({ min: 1, max: 10_000_000 }),
        aggregation,
        (raw, step, agg) => {
          const cells = raw.map((p) => [p.timestamp, cellOf(p.timestamp, p.value)] as const);
          expect(downsample(cells, step, agg)).toEqual(
            referenceSeries(raw, { from: 0, to: 86_400_001, step, aggregation: agg }),
          );
        },
      ),
    );
  });

  it('combining cells is associative and commutative (distinct timestamps)', () => {
    fc.assert(
      fc.property(points, (raw) => {
        const cells = raw.map((p) => cellOf(p.timestamp, p.value));
        const forward = cells.reduce((a, c) => combineCells(a, c), {
          ...(cells[0] ?? cellOf(0, 0)),
        });
        const backward = [...cells]
          .reverse()
          .reduce((a, c) => combineCells(a, c), { ...(cells[0] ?? cellOf(0, 0)) });
        expect(forward).toEqual(backward);
      }),
    );
  });
});
