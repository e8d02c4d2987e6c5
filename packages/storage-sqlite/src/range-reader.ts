import type { Aggregation, RangeQuery, SeriesResult } from '@vigil/storage';
import { corrupt } from '@vigil/storage/adapter';
import { columnText } from './decode-column.js';
import { finiteKey, misplacedRows } from './misplaced-rows.js';
import { MINUTE, ROLLUPS, type Rollup } from './rollup-tables.js';
import type { CatalogSeries, SeriesCatalog } from './series-catalog.js';
import { seriesName } from './series-name.js';
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
// Raw points are filtered by [from, to) in JavaScript, after checking them: in SQL a text `ts`
// (sorted after every number) would fail `ts < @to` and vanish from the answer unnoticed. Only
// the edge minutes hold points outside the range.
const RAW_SQL = `WITH RECURSIVE m(x) AS (SELECT @lo UNION ALL SELECT x + 1 FROM m WHERE x < @hi)
  SELECT ts, value FROM vigil_points
  WHERE minute IN m AND series_id = @series
  ORDER BY minute, ts, seq`;

function rollupSql(table: string, aggregation: Aggregation): string {
  return `WITH RECURSIVE b(x) AS (SELECT @lo UNION ALL SELECT x + @res FROM b WHERE x + @res <= @hi)
    SELECT bucket, ${FOLDED_COLUMNS[aggregation]} FROM ${table}
    WHERE bucket IN b AND series_id = @series ORDER BY bucket`;
}

/**
 * Answers a range query (already checked) in one read transaction. Every row read is checked
 * (finite numbers, a point's `ts` within its `minute`, an integer count): a damaged row is
 * `STORE_CORRUPT` naming its table and series, and fails only the queries that read its series
 * from its table, never those of other series.
 */
export function readRange(
  connection: SqliteConnection,
  catalog: SeriesCatalog,
  query: RangeQuery,
): SeriesResult[] {
  const aggregation = query.aggregation ?? 'avg';
  return connection.read(() => {
    const series = catalog.matching(query.metric, query.labels);
    if (series.length === 0) return [];
    const planned = planSegments(query.from, query.to, query.step);
    for (const rollup of new Set(planned.map((segment) => segment.rollup))) {
      checkPlaced(connection, rollup, series, query.metric);
    }
    const segments = clamp(connection, planned);
    const results: SeriesResult[] = [];
    for (const one of series) {
      const fold = new StepFold(query.step, aggregation);
      const target = { ...one, metric: query.metric };
      for (const segment of segments) {
        if (segment.rollup === undefined) readRaw(connection, target, segment, fold);
        else readRollup(connection, target, segment, segment.rollup, aggregation, fold);
      }
      const points = fold.finish();
      if (points.length > 0) results.push({ metric: query.metric, labels: one.labels, points });
    }
    return results;
  });
}

/** The series being read, as the checks of its rows name it. */
interface Target extends CatalogSeries {
  readonly metric: string;
}

/** The table a segment reads and its time key. */
function tableOf(rollup: Rollup | undefined): readonly [table: string, key: string] {
  return rollup === undefined ? ['vigil_points', 'minute'] : [rollup.table, 'bucket'];
}

/**
 * A row of an asked series that no read can place in time (its key is not a finite number)
 * fails the query, whatever its range: the answer would otherwise silently miss it.
 */
function checkPlaced(
  connection: SqliteConnection,
  rollup: Rollup | undefined,
  series: readonly CatalogSeries[],
  metric: string,
): void {
  const [table, key] = tableOf(rollup);
  const misplaced = misplacedRows(connection, table, key);
  if (misplaced.size === 0) return;
  for (const { id, labels } of series) {
    if (!misplaced.has(id)) continue;
    throw corrupt(
      `a ${table} row of series ${id}, ${seriesName(metric, labels)}`,
      `its ${key} is ${columnText(misplaced.get(id))}, not a finite number, so no query can place it in time`,
    );
  }
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
    const [table, column] = tableOf(segment.rollup);
    // Finite keys only: a damaged key (text sorts after every number) must not hide the data.
    const [first, last] = connection
      .statement(
        `SELECT
          (SELECT ${column} FROM ${table} WHERE ${finiteKey(column)} ORDER BY ${column} LIMIT 1),
          (SELECT ${column} FROM ${table} WHERE ${finiteKey(column)} ORDER BY ${column} DESC LIMIT 1)`,
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
  target: Target,
  segment: Bounded,
  fold: StepFold,
): void {
  const { from, to, lo, hi } = segment;
  const rows = connection.statement(RAW_SQL).raw().iterate({ lo, hi, series: target.id });
  // Rows come by (minute, ts): a sound row's ts lies in the minutes read and never goes back.
  // Checking that (rather than reading each row's minute, ~8 % slower) is what the fold needs.
  const first = lo * MINUTE;
  const end = (hi + 1) * MINUTE;
  let previous = Number.NEGATIVE_INFINITY;
  for (const row of rows as Iterable<[unknown, unknown]>) {
    const [ts, value] = row;
    // Numbers only, no allocation: this runs for every point read.
    if (
      typeof ts !== 'number' ||
      typeof value !== 'number' ||
      !(ts >= previous) ||
      !Number.isFinite(value) ||
      // Outside the minutes by multiplication, or (rounding aside) by the writer's own division.
      (!(ts >= first && ts < end) &&
        !(Math.floor(ts / MINUTE) >= lo && Math.floor(ts / MINUTE) <= hi))
    ) {
      throw corrupt(
        `a vigil_points row of series ${target.id}, ${seriesName(target.metric, target.labels)}`,
        `expected a finite value and a ts in time order within minutes ${lo}–${hi}, got ts ${columnText(ts)} (after ${previous}), value ${columnText(value)}`,
      );
    }
    previous = ts;
    if (ts >= from && ts < to) fold.point(ts, value);
  }
}

function readRollup(
  connection: SqliteConnection,
  target: Target,
  segment: Bounded,
  rollup: Rollup,
  aggregation: Aggregation,
  fold: StepFold,
): void {
  const rows = connection.statement(rollupSql(rollup.table, aggregation)).raw().all({
    lo: segment.lo,
    hi: segment.hi,
    res: rollup.resolution,
    series: target.id,
  }) as unknown[][];
  for (const row of rows) {
    const [bucket, x, y = 0] = row;
    if (
      typeof bucket !== 'number' ||
      typeof x !== 'number' ||
      typeof y !== 'number' ||
      !Number.isFinite(x) ||
      !Number.isFinite(y) ||
      (aggregation === 'avg' && !(Number.isInteger(y) && y >= 1))
    ) {
      throw corrupt(
        `a ${rollup.table} row of series ${target.id}, ${seriesName(target.metric, target.labels)}`,
        `expected finite numbers (and an integer count ≥ 1), got ${FOLDED_COLUMNS[aggregation]} = ${row
          .slice(1)
          .map(columnText)
          .join(', ')} in bucket ${columnText(bucket)}`,
      );
    }
    fold.add(bucket, x, y);
  }
}
