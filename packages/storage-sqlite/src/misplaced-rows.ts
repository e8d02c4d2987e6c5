import type { SqliteConnection } from './sqlite-connection.js';

// The largest finite double. SQLite sorts text and blobs after every number, so a key above this
// is text, a blob or +Infinity, and a key below its negation is -Infinity.
const MAX = '1.7976931348623157e308';

/** The finite range of a table's time key, as SQL to AND into a `WHERE` (it keeps the index). */
export function finiteKey(column: string): string {
  return `${column} BETWEEN -${MAX} AND ${MAX}`;
}

/**
 * The rows of a point or rollup table whose time key (`minute`, `bucket`) is not a finite number,
 * by series id: edited behind the store's back. Range reads seek by time, so they never see such
 * a row; without this check the row's series would silently miss it. Two seeks at the ends of
 * the primary key, so nearly free when (as normally) there is none.
 */
export function misplacedRows(
  connection: SqliteConnection,
  table: string,
  column: string,
): Map<unknown, unknown> {
  const rows = connection
    .statement(
      `SELECT series_id, ${column} FROM ${table} WHERE ${column} > ${MAX}
       UNION ALL SELECT series_id, ${column} FROM ${table} WHERE ${column} < -${MAX}`,
    )
    .raw()
    .all() as Array<[seriesId: unknown, key: unknown]>;
  const bySeries = new Map<unknown, unknown>();
  for (const [seriesId, key] of rows) if (!bySeries.has(seriesId)) bySeries.set(seriesId, key);
  return bySeries;
}
