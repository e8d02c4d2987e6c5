import type { Aggregation, RangeQuery, SeriesResult } from '@vigil/storage';
import { corrupt } from '@vigil/storage/adapter';
import { MINUTE, ROLLUPS, type Rollup } from './rollup-tables.js';
import type { SeriesCatalog } from './series-catalog.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { FOLDED_COLUMNS, StepFold } from './step-fold.js';

/** A part of a query's range read from one source: raw points, or one rollup table. */
type Segment =
  | { readonly rollup: undefined; readonly from: number; readonly to: number }
  | { readonly rollup: Rollup; readonly from: number; readonly to: number };

/**
 * Splits [from, to) into parts read from the coarsest rollup whose resolution divides `step`,
 * where whole rollup buckets fit, and from finer rollups or raw points at the unaligned edges. So
 * a 24-hour query at 60 s reads 1,440 rollup rows per series and no raw point, and the answer is
 * exactly what the raw points give.
 */
export function planSegments(from: number, to: number, step: number): Segment[] {
  const usable = ROLLUPS.filter((rollup) => step % rollup.resolution === 0).reverse();
  return plan(from, to, usable);
}

function plan(from: number, to: number, rollups: readonly Rollup[]): Segment[] {
  if (from >= to) return [];
  const [rollup, ...finer] = rollups;
  if (rollup === undefined) return [{ rollup: undefined, from, to }];
  const r = rollup.resolution;
  const start = Math.ceil(from / r) * r;
  const end = Math.floor(to / r) * r;
  if (start >= end) return plan(from, to, finer);
  return [...plan(from, start, finer), { rollup, from: start, to: end }, ...plan(end, to, finer)];
}

// Range reads enumerate the minutes (or buckets) of the range and seek once per series and
// minute: the tables are time-major, so this reads only the series asked for.
const RAW_SQL = `WITH RECURSIVE m(x) AS (SELECT @lo UNION ALL SELECT x + 1 FROM m WHERE x < @hi)
  SELECT ts, value FROM vigil_points
  WHERE minute IN m AND series_id = @series AND ts >= @from AND ts < @to
  ORDER BY minute, ts, seq`;

function rollupSql(table: string, aggregation: Aggregation): string {
  return `WITH RECURSIVE b(x) AS (SELECT @lo UNION ALL SELECT x + @res FROM b WHERE x + @res <= @hi)
    SELECT bucket, ${FOLDED_COLUMNS[aggregation]} FROM ${table}
    WHERE bucket IN b AND series_id = @series ORDER BY bucket`;
}

/** Answers a range query (already checked) in one read transaction. */
export function readRange(
  connection: SqliteConnection,
  catalog: SeriesCatalog,
  query: RangeQuery,
): SeriesResult[] {
  const aggregation = query.aggregation ?? 'avg';
  return connection.read(() => {
    const series = catalog.matching(query.metric, query.labels);
    if (series.length === 0) return [];
    const segments = clamp(connection, planSegments(query.from, query.to, query.step));
    const results: SeriesResult[] = [];
    for (const { id, labels } of series) {
      const fold = new StepFold(query.step, aggregation);
      for (const segment of segments) {
        if (segment.rollup === undefined) readRaw(connection, id, segment, fold);
        else readRollup(connection, id, segment, segment.rollup, aggregation, fold);
      }
      const points = fold.finish();
      if (points.length > 0) results.push({ metric: query.metric, labels, points });
    }
    return results;
  });
}

interface Bounded {
  readonly from: number;
  readonly to: number;
  /** First and last minute (raw) or bucket start (rollup) to seek, within the stored data. */
  readonly lo: number;
  readonly hi: number;
}

/** Bounds each segment's enumeration by the data present, so `from: 0` costs nothing extra. */
function clamp(connection: SqliteConnection, segments: Segment[]): Array<Segment & Bounded> {
  const bounded: Array<Segment & Bounded> = [];
  for (const segment of segments) {
    const [table, column] =
      segment.rollup === undefined ? ['vigil_points', 'minute'] : [segment.rollup.table, 'bucket'];
    const [first, last] = connection
      .statement(
        `SELECT (SELECT min(${column}) FROM ${table}), (SELECT max(${column}) FROM ${table})`,
      )
      .raw()
      .get() as [unknown, unknown];
    if (typeof first !== 'number' || typeof last !== 'number') continue;
    // Raw points: the minutes holding [from, to). A rollup: the starts of its whole buckets.
    const [lo, hi] =
      segment.rollup === undefined
        ? [Math.floor(segment.from / MINUTE), Math.floor(segment.to / MINUTE)]
        : [segment.from, segment.to - segment.rollup.resolution];
    const clampedLo = Math.max(lo, first);
    const clampedHi = Math.min(hi, last);
    if (clampedLo <= clampedHi) bounded.push({ ...segment, lo: clampedLo, hi: clampedHi });
  }
  return bounded;
}

function readRaw(
  connection: SqliteConnection,
  series: number,
  segment: Bounded,
  fold: StepFold,
): void {
  const rows = connection
    .statement(RAW_SQL)
    .raw()
    .iterate({ lo: segment.lo, hi: segment.hi, series, from: segment.from, to: segment.to });
  for (const row of rows as Iterable<[unknown, unknown]>) {
    const [ts, value] = row;
    if (typeof ts !== 'number' || typeof value !== 'number') {
      throw corrupt(
        `a point of series ${series}`,
        `expected numbers, got ${typeof ts}, ${typeof value}`,
      );
    }
    fold.point(ts, value);
  }
}

function readRollup(
  connection: SqliteConnection,
  series: number,
  segment: Bounded,
  rollup: Rollup,
  aggregation: Aggregation,
  fold: StepFold,
): void {
  const rows = connection
    .statement(rollupSql(rollup.table, aggregation))
    .raw()
    .all({ lo: segment.lo, hi: segment.hi, res: rollup.resolution, series }) as unknown[][];
  for (const row of rows) {
    const [bucket, x, y = 0] = row;
    if (
      typeof bucket !== 'number' ||
      typeof x !== 'number' ||
      typeof y !== 'number' ||
      (aggregation === 'avg' && !(y >= 1))
    ) {
      throw corrupt(
        `${rollup.table} row of series ${series}`,
        `expected numbers (and a count ≥ 1), got ${JSON.stringify(row)}`,
      );
    }
    fold.add(bucket, x, y);
  }
}
