import type { Aggregation } from '@vigil/storage';

/** The rollup tables, by resolution in ms (`ROLLUP_RESOLUTIONS`). */
export const ROLLUP_TABLES: ReadonlyMap<number, string> = new Map([
  [60_000, 'rollups_1m'],
  [3_600_000, 'rollups_1h'],
]);

const CELL = 'series_id, bucket, count, sum, min, max, last, last_at';

// Folds an incoming cell (`excluded`) into a stored one (`r`); a later `last` wins, ties too.
const MERGE = `count = r.count + excluded.count, sum = r.sum + excluded.sum,
  min = least(r.min, excluded.min), max = greatest(r.max, excluded.max),
  last = CASE WHEN excluded.last_at >= r.last_at THEN excluded.last ELSE r.last END,
  last_at = greatest(r.last_at, excluded.last_at)`;

// The value of the latest point among cells or points (arrays compare element by element, and
// hash-aggregate, unlike array_agg(… ORDER BY …)).
const latest = (at: string, value: string) => `(max(ARRAY[${at}::float8, ${value}]))[2]`;

// One aggregation over cells (count, sum, min, max, last, last_at), as the shared `valueOfCell`.
const AGGREGATE: Readonly<Record<Aggregation, string>> = {
  avg: 'sum(sum) / nullif(sum(count)::float8, 0)',
  sum: 'sum(sum)',
  min: 'min(min)',
  max: 'max(max)',
  last: latest('last_at', 'last'),
};

// Rollup cells of [$2, $3) plus raw points of the unaligned edges [$4, $2) and [$3, $5).
const rollupCells = (s: string, table: string) => `
  SELECT series_id, bucket AS at, count, sum, min, max, last, last_at FROM ${s}.${table}
  WHERE series_id = ANY($1::bigint[]) AND bucket >= $2 AND bucket < $3
  UNION ALL
  SELECT series_id, ts, 1, value, value, value, value, ts FROM ${s}.points
  WHERE series_id = ANY($1::bigint[]) AND ((ts >= $4 AND ts < $2) OR (ts >= $3 AND ts < $5))`;

// Raw points of [$2, $3) as one-point cells.
const rawCells = (s: string) => `
  SELECT series_id, ts AS at, 1 AS count, value AS sum, value AS min, value AS max,
    value AS last, ts AS last_at
  FROM ${s}.points WHERE series_id = ANY($1::bigint[]) AND ts >= $2 AND ts < $3`;

// Cells grouped into the buckets of the whole-ms step `$n` (aligned to the epoch, as
// `bucketStart` is) and aggregated, one JSON array of [bucket, value] per series: PostgreSQL does
// the downsampling, and the answer crosses the wire as a few JSON texts rather than a row a cell.
const downsampled = (cells: string, step: string, aggregation: Aggregation) => `
  WITH cells AS (${cells}),
  buckets AS (
    SELECT series_id, at - ((at % ${step}) + ${step}) % ${step} AS bucket,
      ${AGGREGATE[aggregation]} AS value
    FROM cells GROUP BY 1, 2
  )
  SELECT series_id, json_agg(json_build_array(bucket, value) ORDER BY bucket)::text AS points
  FROM buckets GROUP BY series_id`;

const AGGREGATIONS: readonly Aggregation[] = ['avg', 'sum', 'min', 'max', 'last'];

function byAggregation(sql: (aggregation: Aggregation) => string): Map<Aggregation, string> {
  return new Map(AGGREGATIONS.map((aggregation) => [aggregation, sql(aggregation)]));
}

/** Rows `deleteBefore` deletes per statement (and transaction): tens of ms each. */
export const BATCH = 10_000;

// Deletes up to BATCH rows of `table` whose `column` is before $1, by tuple id (a TID scan: the
// rows found are the rows deleted, without a second search). Answers how many were found (fewer
// than BATCH: the last batch) and how many this statement deleted (another sweep may have taken
// some).
const deleteBatch = (table: string, column: string) => `
  WITH found AS (
    SELECT ARRAY(SELECT ctid FROM ${table} WHERE ${column} < $1 LIMIT ${BATCH}) AS ids
  ), gone AS (
    DELETE FROM ${table} WHERE ctid = ANY((SELECT ids FROM found)::tid[]) AND ${column} < $1 RETURNING 1
  )
  SELECT cardinality(ids) AS found, (SELECT count(*) FROM gone)::int AS deleted FROM found`;

/** Every statement of the time-series store, for the schema `s` (quoted). */
export function timeSeriesStatements(s: string) {
  const upsertRollup = (table: string, first: number) => {
    const p = (i: number) => `$${first + i}`;
    return `INSERT INTO ${s}.${table} AS r (${CELL})
      SELECT * FROM unnest(${p(0)}::bigint[], ${p(1)}::bigint[], ${p(2)}::bigint[],
        ${p(3)}::float8[], ${p(4)}::float8[], ${p(5)}::float8[], ${p(6)}::float8[], ${p(7)}::bigint[])
      ON CONFLICT (series_id, bucket) DO UPDATE SET ${MERGE}`;
  };
  const trim = (table: string) => ({
    /** Up to `BATCH` whole cells before $1 (the start of the cell the cut splits, or the cut). */
    dropWhole: deleteBatch(`${s}.${table}`, 'bucket'),
    // Cells wholly before the cut go; a cell the cut splits is rebuilt from the points left.
    drop: `DELETE FROM ${s}.${table} WHERE bucket < $1`,
    rebuild: `INSERT INTO ${s}.${table} AS r (${CELL})
      SELECT series_id, $2::bigint, count(*), sum(value), min(value), max(value),
        ${latest('ts', 'value')}, max(ts)
      FROM ${s}.points WHERE ts >= $1 AND ts < $3 GROUP BY series_id
      ON CONFLICT (series_id, bucket) DO UPDATE SET ${MERGE}`,
  });
  return {
    series: `SELECT id, key, labels FROM ${s}.series WHERE metric = $1 ORDER BY key`,
    // One statement, so one transaction: the points and both rollups, or nothing.
    append: `WITH raw AS (
        INSERT INTO ${s}.points (series_id, ts, value)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[])
      ), minute AS (${upsertRollup('rollups_1m', 4)})
      ${upsertRollup('rollups_1h', 12)}`,
    /** By resolution, then aggregation: $1 ids, $2–$3 whole cells, $4–$5 the range, $6 step. */
    rollupQuery: new Map(
      [...ROLLUP_TABLES].map(([ms, table]) => [
        ms,
        byAggregation((aggregation) =>
          downsampled(rollupCells(s, table), '$6::bigint', aggregation),
        ),
      ]),
    ),
    /** By aggregation: $1 ids, $2–$3 the range, $4 step. */
    rawQuery: byAggregation((aggregation) => downsampled(rawCells(s), '$4::bigint', aggregation)),
    /** Points of a range, for a step that is not a whole number of ms (downsampled in JS). */
    rawPoints: `SELECT series_id, ts, value FROM ${s}.points
      WHERE series_id = ANY($1::bigint[]) AND ts >= $2 AND ts < $3`,
    /** The leaf partitions of `points` (qualified, quoted as needed), for `deleteBatch`. */
    leaves: `SELECT relid::regclass::text AS leaf FROM pg_partition_tree('${s}.points'::regclass)
      WHERE isleaf ORDER BY 1`,
    /** Deletes up to `BATCH` points of a leaf before $1, found by `ts`, deleted by `ctid`. */
    deletePoints: (leaf: string) => deleteBatch(leaf, 'ts'),
    trim: new Map([...ROLLUP_TABLES].map(([ms, table]) => [ms, trim(table)])),
  };
}
