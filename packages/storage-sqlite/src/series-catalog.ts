import type { LabelMatcher, SeriesPoint } from '@vigil/storage';
import {
  corrupt,
  decodeJson,
  labelsSchema,
  matchesLabels,
  seriesKey,
} from '@vigil/storage/adapter';
import type { SqliteConnection } from './sqlite-connection.js';

/** A series as a query sees it. */
export interface CatalogSeries {
  readonly id: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** Series created inside a write transaction, remembered once it commits. */
export type NewSeries = Array<readonly [metric: string, key: string, id: number]>;

// Bound of the in-process cache; past it the cache starts over (ids are read back as needed).
const MAX_CACHED = 100_000;

/**
 * The series table (`id`, `metric`, canonical label key, labels JSON) and an in-process cache of
 * (metric, key) → id, so that appending to a known series reads nothing. Series rows are never
 * deleted, so a cached id stays valid for every client of the file.
 */
export class SeriesCatalog {
  readonly #connection: SqliteConnection;
  readonly #cache = new Map<string, Map<string, number>>();
  #cached = 0;

  constructor(connection: SqliteConnection) {
    this.#connection = connection;
  }

  /**
   * The series id of every point, creating missing series. Call inside a write transaction;
   * pass `created` to `remember` after it commits.
   */
  idsOf(points: readonly SeriesPoint[], created: NewSeries): number[] {
    const ids = new Array<number>(points.length);
    // Callers often reuse one labels object per series: build its key once per call.
    const keys = new Map<object, string>();
    const fresh = new Map<string, Map<string, number>>();
    for (let i = 0; i < points.length; i++) {
      const point = points[i] as SeriesPoint;
      let key = keys.get(point.labels);
      if (key === undefined) {
        key = seriesKey(point.labels);
        keys.set(point.labels, key);
      }
      let id = this.#cache.get(point.metric)?.get(key) ?? fresh.get(point.metric)?.get(key);
      if (id === undefined) {
        id = this.#create(point.metric, key);
        let byKey = fresh.get(point.metric);
        if (byKey === undefined) fresh.set(point.metric, (byKey = new Map()));
        byKey.set(key, id);
        created.push([point.metric, key, id]);
      }
      ids[i] = id;
    }
    return ids;
  }

  /** Caches series created by a committed transaction. */
  remember(created: NewSeries): void {
    for (const [metric, key, id] of created) {
      if (this.#cached >= MAX_CACHED) {
        this.#cache.clear();
        this.#cached = 0;
      }
      let byKey = this.#cache.get(metric);
      if (byKey === undefined) this.#cache.set(metric, (byKey = new Map()));
      byKey.set(key, id);
      this.#cached++;
    }
  }

  /** Series of `metric` whose labels satisfy `matchers`, oldest first. Corrupt labels throw. */
  matching(
    metric: string,
    matchers: Readonly<Record<string, LabelMatcher>> | undefined,
  ): CatalogSeries[] {
    const rows = this.#connection
      .statement('SELECT id, labels FROM vigil_series WHERE metric = ? ORDER BY id')
      .raw()
      .all(metric) as unknown[][];
    const found: CatalogSeries[] = [];
    for (const [id, text] of rows) {
      if (typeof id !== 'number' || !Number.isInteger(id)) {
        throw corrupt(`series id of '${metric}'`, `expected an integer, got ${typeof id}`);
      }
      const labels = decodeJson(`labels of series ${id} of '${metric}'`, text, labelsSchema);
      if (matchesLabels(labels, matchers)) found.push({ id, labels });
    }
    return found;
  }

  #create(metric: string, key: string): number {
    // Another client may have created it since this one cached: the upsert returns its id.
    const id = this.#connection
      .statement(
        `INSERT INTO vigil_series (metric, key, labels) VALUES (?, ?, ?)
         ON CONFLICT (metric, key) DO UPDATE SET metric = excluded.metric RETURNING id`,
      )
      .pluck()
      .get(metric, key, key);
    if (typeof id !== 'number') throw corrupt(`series id of '${metric}'`, 'not an integer');
    return id;
  }
}
