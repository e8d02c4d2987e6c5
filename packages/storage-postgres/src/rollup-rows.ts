import { bucketStart, cellOf, combineCells, type RollupCell } from '@vigil/storage/adapter';

/** Rollup cells as the parallel arrays an `unnest` upsert takes, sorted by (series, bucket). */
export interface RollupRows {
  readonly seriesIds: string[];
  readonly buckets: number[];
  readonly counts: number[];
  readonly sums: number[];
  readonly mins: number[];
  readonly maxs: number[];
  readonly lasts: number[];
  readonly lastAts: number[];
}

/**
 * Folds a batch of points into one cell per series and bucket of `resolution` ms (later points
 * win `last` ties, as later appends do), so that the batch is one multi-row upsert with no row
 * touched twice, in an order every client shares (no deadlocks between concurrent appends).
 */
export function rollupRows(
  seriesIds: readonly string[],
  timestamps: readonly number[],
  values: readonly number[],
  resolution: number,
): RollupRows {
  const cells = new Map<string, { id: string; bucket: number; cell: RollupCell }>();
  for (let i = 0; i < seriesIds.length; i++) {
    const id = seriesIds[i] as string;
    const timestamp = timestamps[i] as number;
    const bucket = bucketStart(timestamp, resolution);
    const name = `${id}:${bucket}`;
    const entry = cells.get(name);
    const cell = cellOf(timestamp, values[i] as number);
    if (entry === undefined) cells.set(name, { id, bucket, cell });
    else combineCells(entry.cell, cell);
  }
  const sorted = [...cells.values()].sort((a, b) => compareIds(a.id, b.id) || a.bucket - b.bucket);
  const rows: RollupRows = {
    seriesIds: [],
    buckets: [],
    counts: [],
    sums: [],
    mins: [],
    maxs: [],
    lasts: [],
    lastAts: [],
  };
  for (const { id, bucket, cell } of sorted) {
    rows.seriesIds.push(id);
    rows.buckets.push(bucket);
    rows.counts.push(cell.count);
    rows.sums.push(cell.sum);
    rows.mins.push(cell.min);
    rows.maxs.push(cell.max);
    rows.lasts.push(cell.last);
    rows.lastAts.push(cell.lastAt);
  }
  return rows;
}

// Ids are decimal bigint strings: shorter is smaller, then lexical order is numeric order.
function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
