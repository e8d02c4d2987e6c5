import { checkPoints, checkQuery } from '../adapter/check-arguments.js';
import { decodeJson, labelsSchema } from '../adapter/decode.js';
import { matchesLabels } from '../adapter/label-matcher.js';
import { downsample, rollupFor } from '../adapter/rollup-cell.js';
import { seriesKey } from '../adapter/series-key.js';
import { StoreError } from '../errors.js';
import {
  type RangeQuery,
  ROLLUP_RESOLUTIONS,
  type SeriesPoint,
  type SeriesResult,
  type TimeSeriesStore,
} from '../time-series-store.js';
import { MemorySeries } from './memory-series.js';
import { oldestPoints } from './oldest-points.js';

/**
 * `TimeSeriesStore` in memory. Bounded by `maxPoints` raw points in total: an append that passes
 * it drops the oldest points of the whole store (by timestamp, across series) and counts them in
 * `dropped`. Rollups follow the raw points, so they never hold more than the raw points do.
 */
export class MemoryTimeSeries implements TimeSeriesStore {
  /** metric → series key (sorted-labels JSON) → series. */
  readonly #metrics = new Map<string, Map<string, MemorySeries>>();
  readonly #maxPoints: number;
  readonly #assertOpen: () => void;
  #points = 0;
  #dropped = 0;

  constructor(maxPoints: number, assertOpen: () => void) {
    this.#maxPoints = maxPoints;
    this.#assertOpen = assertOpen;
  }

  /** Raw points held. */
  get points(): number {
    return this.#points;
  }

  /** Series held. */
  get series(): number {
    let count = 0;
    for (const series of this.#metrics.values()) count += series.size;
    return count;
  }

  /** Points dropped by the `maxPoints` cap since the store was created. */
  get dropped(): number {
    return this.#dropped;
  }

  async append(points: readonly SeriesPoint[]): Promise<void> {
    this.#assertOpen();
    checkPoints(points);
    for (const point of points) {
      let metric = this.#metrics.get(point.metric);
      if (metric === undefined) {
        metric = new Map();
        this.#metrics.set(point.metric, metric);
      }
      const key = seriesKey(point.labels);
      let series = metric.get(key);
      if (series === undefined) {
        series = new MemorySeries(key);
        metric.set(key, series);
      }
      series.append(point.timestamp, point.value);
    }
    this.#points += points.length;
    if (this.#points > this.#maxPoints) this.#dropOldest(this.#points - this.#maxPoints);
  }

  async query(query: RangeQuery): Promise<SeriesResult[]> {
    this.#assertOpen();
    checkQuery(query);
    const metric = this.#metrics.get(query.metric);
    if (metric === undefined) return [];
    const resolution = rollupFor(query.step, ROLLUP_RESOLUTIONS);
    const aggregation = query.aggregation ?? 'avg';
    const results: SeriesResult[] = [];
    for (const series of metric.values()) {
      const labels = decodeJson(
        `labels of a series of '${query.metric}'`,
        series.labelsText,
        labelsSchema,
      );
      if (!matchesLabels(labels, query.labels)) continue;
      const points = downsample(
        series.cells(query.from, query.to, resolution),
        query.step,
        aggregation,
      );
      if (points.length > 0) results.push({ metric: query.metric, labels, points });
    }
    return results;
  }

  async deleteBefore(timestamp: number): Promise<number> {
    this.#assertOpen();
    if (typeof timestamp !== 'number' || Number.isNaN(timestamp)) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `deleteBefore() takes ms since the epoch, got ${String(timestamp)}`,
      );
    }
    let removed = 0;
    for (const [name, metric] of this.#metrics) {
      for (const [key, series] of metric) {
        const count = series.countBefore(timestamp);
        if (count === 0) continue;
        removed += count;
        this.#drop(metric, key, series, count);
      }
      if (metric.size === 0) this.#metrics.delete(name);
    }
    return removed;
  }

  #dropOldest(excess: number): void {
    const owners = new Map<MemorySeries, [Map<string, MemorySeries>, string]>();
    for (const metric of this.#metrics.values()) {
      for (const [key, series] of metric) owners.set(series, [metric, key]);
    }
    for (const [series, count] of oldestPoints(owners.keys(), excess)) {
      const [metric, key] = owners.get(series) as [Map<string, MemorySeries>, string];
      this.#drop(metric, key, series, count);
      this.#dropped += count;
    }
    for (const [name, metric] of this.#metrics) {
      if (metric.size === 0) this.#metrics.delete(name);
    }
  }

  #drop(metric: Map<string, MemorySeries>, key: string, series: MemorySeries, count: number) {
    series.dropOldest(count);
    this.#points -= count;
    if (series.size === 0) metric.delete(key);
  }

  /** Test hook: every series of `metric`, to corrupt their labels. */
  seriesOf(metric: string): Iterable<MemorySeries> {
    return this.#metrics.get(metric)?.values() ?? [];
  }
}
