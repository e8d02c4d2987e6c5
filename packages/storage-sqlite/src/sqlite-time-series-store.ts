import type { RangeQuery, SeriesPoint, SeriesResult, TimeSeriesStore } from '@vigil/storage';
import { checkPoints, checkQuery, corrupt } from '@vigil/storage/adapter';
import { BatchedInsert } from './batched-insert.js';
import { deletePointsBefore } from './point-retention.js';
import { readRange } from './range-reader.js';
import { MINUTE, RollupBatch } from './rollup-tables.js';
import type { NewSeries, SeriesCatalog } from './series-catalog.js';
import type { SqliteConnection } from './sqlite-connection.js';

const RESERVE_SEQ =
  "UPDATE vigil_meta SET value = value + ? WHERE name = 'point_seq' RETURNING value";

/**
 * Series points in SQLite: one transaction per `append` writes the raw points and merges their
 * 1-minute and 1-hour rollup cells; queries read the rollups where whole buckets fit.
 */
export class SqliteTimeSeriesStore implements TimeSeriesStore {
  readonly #connection: SqliteConnection;
  readonly #catalog: SeriesCatalog;

  constructor(connection: SqliteConnection, catalog: SeriesCatalog) {
    this.#connection = connection;
    this.#catalog = catalog;
  }

  async append(points: readonly SeriesPoint[]): Promise<void> {
    checkPoints(points);
    if (points.length === 0) return;
    const connection = this.#connection;
    const created: NewSeries = [];
    connection.write(() => {
      const ids = this.#catalog.idsOf(points, created);
      const end = connection.statement(RESERVE_SEQ).pluck().get(points.length);
      if (typeof end !== 'number') throw corrupt('vigil_meta point_seq', 'not a number');
      const first = end - points.length;
      const insert = new BatchedInsert(
        connection,
        'INSERT INTO vigil_points (minute, series_id, ts, seq, value) VALUES',
        5,
      );
      const rollups = new RollupBatch();
      for (let i = 0; i < points.length; i++) {
        const { timestamp, value } = points[i] as SeriesPoint;
        const series = ids[i] as number;
        insert.push(Math.floor(timestamp / MINUTE));
        insert.push(series);
        insert.push(timestamp);
        insert.push(first + i);
        insert.push(value);
        rollups.add(series, timestamp, value);
      }
      insert.flush();
      rollups.write(connection);
    });
    this.#catalog.remember(created);
  }

  async query(query: RangeQuery): Promise<SeriesResult[]> {
    checkQuery(query);
    return readRange(this.#connection, this.#catalog, query);
  }

  deleteBefore(timestamp: number): Promise<number> {
    return deletePointsBefore(this.#connection, timestamp);
  }
}
