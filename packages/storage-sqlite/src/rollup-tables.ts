import { ROLLUP_RESOLUTIONS } from '@vigil/storage';
import { bucketStart, type RollupCell } from '@vigil/storage/adapter';
import { BatchedInsert } from './batched-insert.js';
import type { SqliteConnection } from './sqlite-connection.js';

const TABLES: Readonly<Record<number, string>> = {
  60000: 'vigil_rollup_1m',
  3600000: 'vigil_rollup_1h',
};

/** Width of the raw points' `minute` column, equal to the finest rollup. */
export const MINUTE = 60_000;

/** A rollup resolution with its table. */
export interface Rollup {
  readonly resolution: number;
  readonly table: string;
}

/** Every rollup the store keeps, finest first. */
export const ROLLUPS: readonly Rollup[] = [...ROLLUP_RESOLUTIONS]
  .sort((a, b) => a - b)
  .map((resolution) => {
    const table = TABLES[resolution];
    if (table === undefined) throw new Error(`no rollup table for resolution ${resolution} ms`);
    return { resolution, table };
  });

/**
 * The rollup cells of one append, folded in memory first (a batch of 1,000 points of 100 series
 * gives a few hundred cells), then merged into the tables with one upsert per cell, in the
 * append's transaction.
 */
export class RollupBatch {
  // Per rollup: bucket → series id → cell. A batch spans few buckets, so the outer maps stay small.
  readonly #cells = ROLLUPS.map(() => new Map<number, Map<number, RollupCell>>());

  add(seriesId: number, timestamp: number, value: number): void {
    for (let r = 0; r < ROLLUPS.length; r++) {
      const bucket = bucketStart(timestamp, (ROLLUPS[r] as Rollup).resolution);
      const buckets = this.#cells[r] as Map<number, Map<number, RollupCell>>;
      let bySeries = buckets.get(bucket);
      if (bySeries === undefined) buckets.set(bucket, (bySeries = new Map()));
      const cell = bySeries.get(seriesId);
      if (cell === undefined) {
        bySeries.set(seriesId, {
          count: 1,
          sum: value,
          min: value,
          max: value,
          last: value,
          lastAt: timestamp,
        });
      } else {
        cell.count++;
        cell.sum += value;
        if (value < cell.min) cell.min = value;
        if (value > cell.max) cell.max = value;
        // Ties: the later point of the batch wins, as the later append wins in the upsert.
        if (timestamp >= cell.lastAt) {
          cell.last = value;
          cell.lastAt = timestamp;
        }
      }
    }
  }

  /** Merges the cells into the rollup tables (call inside the append's transaction). */
  write(connection: SqliteConnection): void {
    for (let r = 0; r < ROLLUPS.length; r++) {
      const upsert = new BatchedInsert(
        connection,
        `INSERT INTO ${(ROLLUPS[r] as Rollup).table} (bucket, series_id, count, sum, min, max, last, last_at) VALUES`,
        8,
        UPSERT,
      );
      for (const [bucket, bySeries] of this.#cells[r] as Map<number, Map<number, RollupCell>>) {
        for (const [seriesId, c] of bySeries) {
          upsert.push(bucket);
          upsert.push(seriesId);
          upsert.push(c.count);
          upsert.push(c.sum);
          upsert.push(c.min);
          upsert.push(c.max);
          upsert.push(c.last);
          upsert.push(c.lastAt);
        }
      }
      upsert.flush();
    }
  }
}

/**
 * `expression` where the stored `column` is a number, else the stored value kept as it is. SQLite
 * would turn a damaged (text) cell into a plausible number ('x' + 3 is 3, min('x', 3) is 3) and
 * the damage would be laundered into a wrong answer; kept, the next read reports it. `max` and
 * `last_at` need no guard: text sorts after every number, so `max` keeps it.
 */
function ifNumber(column: string, expression: string): string {
  return `CASE WHEN typeof(${column}) IN ('integer', 'real') THEN ${expression} ELSE ${column} END`;
}

// Merges a cell into the stored one; a batch holds each (bucket, series) once.
const UPSERT = `ON CONFLICT (bucket, series_id) DO UPDATE SET
  count = ${ifNumber('count', 'count + excluded.count')},
  sum = ${ifNumber('sum', 'sum + excluded.sum')},
  min = ${ifNumber('min', 'min(min, excluded.min)')},
  max = max(max, excluded.max),
  last = CASE WHEN excluded.last_at >= last_at THEN excluded.last ELSE last END,
  last_at = max(last_at, excluded.last_at)`;
