import type { Aggregation } from '../time-series-store.js';

/**
 * What a rollup keeps of the points in one bucket, enough to answer every aggregation exactly:
 * combining cells of small buckets gives the cell of the large bucket they tile.
 */
export interface RollupCell {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Value of the latest point, and its timestamp (ties: the later append wins). */
  last: number;
  lastAt: number;
}

export function cellOf(timestamp: number, value: number): RollupCell {
  return { count: 1, sum: value, min: value, max: value, last: value, lastAt: timestamp };
}

/** Folds `next` into `into` (mutates and returns `into`). */
export function combineCells(into: RollupCell, next: RollupCell): RollupCell {
  into.count += next.count;
  into.sum += next.sum;
  if (next.min < into.min) into.min = next.min;
  if (next.max > into.max) into.max = next.max;
  if (next.lastAt >= into.lastAt) {
    into.last = next.last;
    into.lastAt = next.lastAt;
  }
  return into;
}

export function valueOfCell(cell: RollupCell, aggregation: Aggregation): number {
  switch (aggregation) {
    case 'avg':
      return cell.sum / cell.count;
    case 'sum':
      return cell.sum;
    case 'min':
      return cell.min;
    case 'max':
      return cell.max;
    case 'last':
      return cell.last;
  }
}

/** Start of the bucket of width `step` holding `timestamp` (aligned to the epoch). */
export function bucketStart(timestamp: number, step: number): number {
  return timestamp - (((timestamp % step) + step) % step);
}

/** The coarsest rollup resolution that tiles `step` exactly, or undefined (read raw points). */
export function rollupFor(step: number, resolutions: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const resolution of resolutions) {
    if (step % resolution === 0 && (best === undefined || resolution > best)) best = resolution;
  }
  return best;
}

/**
 * Downsamples cells (raw points as one-point cells, or rollup cells) of one series into the
 * buckets of `step`, in time order. Cells may come in any order.
 */
export function downsample(
  cells: Iterable<readonly [number, RollupCell]>,
  step: number,
  aggregation: Aggregation,
): Array<[number, number]> {
  const buckets = new Map<number, RollupCell>();
  for (const [timestamp, cell] of cells) {
    const start = bucketStart(timestamp, step);
    const bucket = buckets.get(start);
    if (bucket === undefined) buckets.set(start, { ...cell });
    else combineCells(bucket, cell);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, cell]) => [start, valueOfCell(cell, aggregation)]);
}
