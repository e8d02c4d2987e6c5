import { StoreError } from '@vigil/storage';
import { bucketStart, corrupt, type RollupCell } from '@vigil/storage/adapter';
import { MINUTE, ROLLUPS, type Rollup } from './rollup-tables.js';
import type { SqliteConnection } from './sqlite-connection.js';

// Raw points deleted per transaction: each is short, and the event loop runs between them.
const CHUNK = 50_000;

/**
 * Deletes raw points before `timestamp` and the rollup buckets that lie wholly before it, in
 * short transactions; the rollup buckets that straddle `timestamp` are then rebuilt from the raw
 * points left, so that rollup and raw answers still agree. Returns how many raw points went.
 */
export async function deletePointsBefore(
  connection: SqliteConnection,
  timestamp: number,
): Promise<number> {
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new StoreError(
      'STORE_INVALID_ARGUMENT',
      `deleteBefore() takes ms since the epoch, got ${String(timestamp)}`,
    );
  }
  const cutMinute = Math.floor(timestamp / MINUTE);
  let deleted = 0;
  for (;;) {
    const { count, done } = connection.write(() => deleteChunk(connection, cutMinute));
    deleted += count;
    if (done) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return deleted + connection.write(() => deleteEdge(connection, timestamp, cutMinute));
}

function deleteChunk(
  connection: SqliteConnection,
  cutMinute: number,
): { count: number; done: boolean } {
  const first = connection
    .statement('SELECT min(minute) FROM vigil_points WHERE minute < ?')
    .pluck()
    .get(cutMinute);
  if (typeof first !== 'number') return { count: 0, done: true };
  const boundary = connection
    .statement('SELECT minute FROM vigil_points WHERE minute < ? ORDER BY minute LIMIT 1 OFFSET ?')
    .pluck()
    .get(cutMinute, CHUNK);
  // A minute holding more than CHUNK points goes whole, so that every chunk makes progress.
  const upTo = typeof boundary === 'number' ? Math.max(boundary, first + 1) : cutMinute;
  const count = connection.statement('DELETE FROM vigil_points WHERE minute < ?').run(upTo).changes;
  for (const rollup of ROLLUPS) {
    connection
      .statement(`DELETE FROM ${rollup.table} WHERE bucket < ?`)
      .run(bucketStart(upTo * MINUTE, rollup.resolution));
  }
  return { count, done: upTo >= cutMinute };
}

function deleteEdge(connection: SqliteConnection, timestamp: number, cutMinute: number): number {
  const count =
    connection.statement('DELETE FROM vigil_points WHERE minute < ?').run(cutMinute).changes +
    connection
      .statement('DELETE FROM vigil_points WHERE minute = ? AND ts < ?')
      .run(cutMinute, timestamp).changes;
  for (const rollup of ROLLUPS) {
    const bucket = bucketStart(timestamp, rollup.resolution);
    connection.statement(`DELETE FROM ${rollup.table} WHERE bucket < ?`).run(bucket);
    if (bucket < timestamp) rebuild(connection, rollup, bucket);
  }
  return count;
}

/** Recomputes one bucket of `rollup` for every series from the raw points it still holds. */
function rebuild(connection: SqliteConnection, rollup: Rollup, bucket: number): void {
  connection.statement(`DELETE FROM ${rollup.table} WHERE bucket = ?`).run(bucket);
  const rows = connection
    .statement(
      `SELECT series_id, ts, value FROM vigil_points WHERE minute >= ? AND minute < ?
       ORDER BY minute, series_id, ts, seq`,
    )
    .raw()
    .iterate(bucket / MINUTE, (bucket + rollup.resolution) / MINUTE) as Iterable<unknown[]>;
  // Rows come in time order per series (ties by append), so `>=` keeps the latest as `last`.
  const cells = new Map<number, RollupCell>();
  for (const [series, ts, value] of rows) {
    if (typeof series !== 'number' || typeof ts !== 'number' || typeof value !== 'number') {
      throw corrupt('a point of vigil_points', `expected numbers, got ${series}, ${ts}, ${value}`);
    }
    const cell = cells.get(series);
    if (cell === undefined) {
      cells.set(series, { count: 1, sum: value, min: value, max: value, last: value, lastAt: ts });
      continue;
    }
    cell.count++;
    cell.sum += value;
    cell.min = Math.min(cell.min, value);
    cell.max = Math.max(cell.max, value);
    if (ts >= cell.lastAt) {
      cell.last = value;
      cell.lastAt = ts;
    }
  }
  const insert = connection.statement(
    `INSERT INTO ${rollup.table} (bucket, series_id, count, sum, min, max, last, last_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [series, c] of cells) {
    insert.run(bucket, series, c.count, c.sum, c.min, c.max, c.last, c.lastAt);
  }
}
