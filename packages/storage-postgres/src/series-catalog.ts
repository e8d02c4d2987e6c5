import type { SeriesPoint } from '@vigil/storage';
import { seriesKey } from '@vigil/storage/adapter';
import type { Database } from './database.js';

// Ids of series already seen, so that a steady stream of appends skips the lookup. Series rows
// are never deleted by the store, so a cached id stays valid; past the cap, the cache restarts.
const CACHE_LIMIT = 50_000;

/**
 * The `series` table: one row per metric and canonical label set (`key`, unique per metric), with
 * the labels as a JSONB object. Resolves the series ids of a batch, creating missing series in
 * their own statement (committed before the points, so a cached id always exists).
 */
export class SeriesCatalog {
  readonly #db: Database;
  readonly #ids = new Map<string, string>();
  readonly #sql: { create: string };

  constructor(db: Database) {
    this.#db = db;
    const s = db.schema;
    this.#sql = {
      // The no-op update makes RETURNING yield existing rows too.
      create: `INSERT INTO ${s}.series AS t (metric, key, labels)
        SELECT metric, key, key::jsonb FROM unnest($1::text[], $2::text[]) AS n(metric, key)
        ON CONFLICT (metric, key) DO UPDATE SET metric = t.metric
        RETURNING id, metric, key`,
    };
  }

  /** The series id of each point, in order (as strings: ids are bigint). */
  async idsOf(points: readonly SeriesPoint[]): Promise<string[]> {
    const names = new Array<string>(points.length);
    const missing = new Map<string, [string, string]>();
    for (let i = 0; i < points.length; i++) {
      const point = points[i] as SeriesPoint;
      const key = seriesKey(point.labels);
      const name = `${point.metric}\u0000${key}`;
      names[i] = name;
      if (!this.#ids.has(name)) missing.set(name, [point.metric, key]);
    }
    if (missing.size > 0) await this.#create([...missing.values()]);
    return names.map((name) => this.#ids.get(name) as string);
  }

  async #create(series: Array<[string, string]>): Promise<void> {
    // Sorted, so that two clients creating the same series lock rows in the same order.
    series.sort((a, b) => (a[0] === b[0] ? compare(a[1], b[1]) : compare(a[0], b[0])));
    const result = await this.#db.query<{ id: string; metric: string; key: string }>(
      this.#sql.create,
      [series.map((s) => s[0]), series.map((s) => s[1])],
    );
    if (this.#ids.size + result.rows.length > CACHE_LIMIT) this.#ids.clear();
    for (const row of result.rows) this.#ids.set(`${row.metric}\u0000${row.key}`, row.id);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
