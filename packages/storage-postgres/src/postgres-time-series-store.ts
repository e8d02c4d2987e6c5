import {
  type Aggregation,
  type RangeQuery,
  ROLLUP_RESOLUTIONS,
  type SeriesPoint,
  type SeriesResult,
  StoreError,
  type TimeSeriesStore,
} from '@vigil/storage';
import {
  bucketStart,
  cellOf,
  checkPoints,
  checkQuery,
  checkShape,
  corrupt,
  downsample,
  labelsSchema,
  matchesLabels,
  type RollupCell,
  rollupFor,
} from '@vigil/storage/adapter';
import { ceilMs } from './ceil-ms.js';
import type { Database } from './database.js';
import { finiteColumn, integerColumn, jsonColumn } from './decode-column.js';
import { type RollupRows, rollupRows } from './rollup-rows.js';
import { SeriesCatalog } from './series-catalog.js';
import { BATCH, timeSeriesStatements } from './time-series-statements.js';

/** Downsampled points by series id. */
type Answer = Map<string, Array<[number, number]>>;

/**
 * `TimeSeriesStore` on `series` (labels as JSONB, unique per metric and canonical key), `points`
 * (bigint ms, range-partitioned by `ts`, indexed on (series_id, ts)) and the rollup tables
 * `rollups_1m` / `rollups_1h`. An append is one statement: a multi-row insert of the points and
 * one multi-row upsert per rollup, aggregated in JS first. A query reads whole rollup cells where
 * `rollupFor(step)` allows and raw points at the unaligned edges, aggregated by PostgreSQL.
 */
export class PostgresTimeSeriesStore implements TimeSeriesStore {
  readonly #db: Database;
  readonly #catalog: SeriesCatalog;
  readonly #sql: ReturnType<typeof timeSeriesStatements>;

  constructor(db: Database) {
    this.#db = db;
    this.#catalog = new SeriesCatalog(db);
    this.#sql = timeSeriesStatements(db.schema);
  }

  async append(points: readonly SeriesPoint[]): Promise<void> {
    checkPoints(points);
    if (points.length === 0) return;
    const timestamps = points.map((point) => point.timestamp);
    const values = points.map((point) => point.value);
    for (const timestamp of timestamps) {
      if (!Number.isSafeInteger(timestamp)) {
        throw new StoreError(
          'STORE_INVALID_ARGUMENT',
          `point.timestamp should be a whole number of ms since the epoch, got ${timestamp}`,
        );
      }
    }
    const ids = await this.#catalog.idsOf(points);
    const [minute, hour] = ROLLUP_RESOLUTIONS.map((ms) => rollupRows(ids, timestamps, values, ms));
    await this.#db.query(this.#sql.append, [
      ids,
      timestamps,
      values,
      ...columns(minute as RollupRows),
      ...columns(hour as RollupRows),
    ]);
  }

  async query(query: RangeQuery): Promise<SeriesResult[]> {
    checkQuery(query);
    const aggregation = query.aggregation ?? 'avg';
    const rows = await this.#db.query<{ id: string; key: string; labels: unknown }>(
      this.#sql.series,
      [query.metric],
    );
    const series = [];
    for (const row of rows.rows) {
      const what = `labels of series ${row.key} of '${query.metric}'`;
      const labels = checkShape(what, row.labels, labelsSchema);
      if (matchesLabels(labels, query.labels)) series.push({ id: row.id, labels });
    }
    if (series.length === 0) return [];
    const answer = await this.#points(
      series.map((s) => s.id),
      query,
      aggregation,
    );
    const results: SeriesResult[] = [];
    for (const { id, labels } of series) {
      const points = answer.get(id);
      if (points !== undefined) results.push({ metric: query.metric, labels, points });
    }
    return results;
  }

  async deleteBefore(timestamp: number): Promise<number> {
    if (!Number.isFinite(timestamp)) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `deleteBefore() takes ms since the epoch, got ${String(timestamp)}`,
      );
    }
    const cut = ceilMs(timestamp);
    // In batches, each a statement of its own bounded by `timeout`: a month of points takes as
    // many round trips as it needs, and a server that stops answering fails the call within
    // `timeout` of it, not after the whole deletion's worth of time.
    let deleted = 0;
    const leaves = await this.#db.query<{ leaf: string }>(this.#sql.leaves);
    for (const { leaf } of leaves.rows) {
      deleted += await this.#deleteAll(this.#sql.deletePoints(leaf), cut);
    }
    for (const [resolution, trim] of this.#sql.trim) {
      const start = bucketStart(cut, resolution);
      await this.#deleteAll(trim.dropWhole, start);
      // The cell the cut splits is rebuilt from the points left, in one transaction.
      if (start < cut) {
        await this.#db.transaction(async (run) => {
          await run(trim.drop, [cut]);
          await run(trim.rebuild, [cut, start, start + resolution]);
        });
      }
    }
    return deleted;
  }

  /** Runs a `deleteBatch` statement until it finds less than a batch; the rows it deleted. */
  async #deleteAll(sql: string, before: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const result = await this.#db.query<{ found: number; deleted: number }>(sql, [before]);
      const row = result.rows[0];
      deleted += row?.deleted ?? 0;
      if (row === undefined || row.found < BATCH) return deleted;
    }
  }

  // The downsampled points of each series id: PostgreSQL aggregates whole rollup cells where
  // they tile the range (raw points at the unaligned edges), else raw points; a step that is not
  // a whole number of ms is downsampled here.
  async #points(ids: string[], query: RangeQuery, aggregation: Aggregation): Promise<Answer> {
    const from = ceilMs(query.from);
    const to = ceilMs(query.to);
    const step = query.step;
    if (!Number.isSafeInteger(step)) return this.#downsampleHere(ids, from, to, query, aggregation);
    const resolution = rollupFor(step, ROLLUP_RESOLUTIONS);
    if (resolution !== undefined) {
      const start = bucketStart(from, resolution);
      const first = start === from ? from : start + resolution;
      const end = bucketStart(to, resolution);
      if (first < end) {
        const sql = this.#sql.rollupQuery.get(resolution)?.get(aggregation) as string;
        return decodeAnswer(await this.#db.query(sql, [ids, first, end, from, to, step]));
      }
    }
    const sql = this.#sql.rawQuery.get(aggregation) as string;
    return decodeAnswer(await this.#db.query(sql, [ids, from, to, step]));
  }

  async #downsampleHere(
    ids: string[],
    from: number,
    to: number,
    query: RangeQuery,
    aggregation: Aggregation,
  ): Promise<Answer> {
    const result = await this.#db.query<{ series_id: string; ts: string; value: number }>(
      this.#sql.rawPoints,
      [ids, from, to],
    );
    const cells = new Map<string, Array<[number, RollupCell]>>();
    for (const row of result.rows) {
      const ts = integerColumn(`a point of series ${row.series_id}`, row.ts);
      const cell = cellOf(ts, finiteColumn(`a point of series ${row.series_id}`, row.value));
      const list = cells.get(row.series_id);
      if (list === undefined) cells.set(row.series_id, [[ts, cell]]);
      else list.push([ts, cell]);
    }
    const answer: Answer = new Map();
    for (const [id, list] of cells) answer.set(id, downsample(list, query.step, aggregation));
    return answer;
  }
}

// Per series id, `[bucket, value]` pairs as PostgreSQL computed them: checked, never trusted.
function decodeAnswer(result: { rows: Array<{ series_id: string; points: string }> }): Answer {
  const answer: Answer = new Map();
  for (const row of result.rows) {
    const what = `points of series ${row.series_id}`;
    const points = jsonColumn(what, row.points);
    if (!Array.isArray(points)) throw corrupt(what, 'expected an array');
    for (const pair of points) {
      if (
        !Array.isArray(pair) ||
        !Number.isSafeInteger(pair[0]) ||
        typeof pair[1] !== 'number' ||
        !Number.isFinite(pair[1])
      ) {
        throw corrupt(what, `a stored value is not a finite number (${JSON.stringify(pair)})`);
      }
    }
    answer.set(row.series_id, points as Array<[number, number]>);
  }
  return answer;
}

function columns(rows: RollupRows): unknown[] {
  return [
    rows.seriesIds,
    rows.buckets,
    rows.counts,
    rows.sums,
    rows.mins,
    rows.maxs,
    rows.lasts,
    rows.lastAts,
  ];
}
