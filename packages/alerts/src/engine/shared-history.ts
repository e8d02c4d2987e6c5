import type { SeriesPoint, TimeSeriesStore } from '@vigil/storage';
import { type Labels, METRIC_NAME } from '../promql/labels.js';
import type { MemorySeries } from '../promql/memory-series.js';
import type { AlertRecords } from './alert-records.js';

/**
 * @internal History in a shared `TimeSeriesStore`: every instance writes its samples there (with
 * its `instance` label), and the leader reads the fleet's points back into memory for the
 * evaluator, incrementally. The metric names go to the records, so the leader knows what to
 * read.
 */
export class SharedHistory {
  readonly #series: TimeSeriesStore;
  readonly #records: AlertRecords;
  /** Metric names this instance has recorded as written. */
  readonly #known = new Set<string>();

  constructor(series: TimeSeriesStore, records: AlertRecords) {
    this.#series = series;
    this.#records = records;
  }

  /** Writes points (the finite ones: the store takes no NaN), recording new metric names first. */
  async write(points: readonly SeriesPoint[]): Promise<void> {
    const finite = points.filter((point) => Number.isFinite(point.value));
    for (const { metric } of finite) {
      if (this.#known.has(metric)) continue;
      await this.#records.addMetric(metric);
      this.#known.add(metric);
    }
    if (finite.length > 0) await this.#series.append(finite);
  }

  /**
   * Appends the fleet's points in `[from, to)` to `history`. Points it already holds are skipped
   * (a series' points arrive in time order from the one instance that writes it), so windows
   * may overlap to catch late writers.
   */
  async load(history: MemorySeries, from: number, to: number): Promise<void> {
    const metrics = await this.#records.metrics();
    const results = await Promise.all(
      metrics.map((metric) =>
        this.#series.query({ metric, from, to, step: 1, aggregation: 'last' }),
      ),
    );
    for (const result of results) {
      for (const series of result) {
        const labels: Labels = { ...series.labels, [METRIC_NAME]: series.metric };
        for (const [time, value] of series.points) history.append(labels, time, value);
      }
    }
  }
}

/** @internal A sampled point as the store takes it: the name out of the labels. */
export function seriesPoint(labels: Labels, time: number, value: number): SeriesPoint {
  const { [METRIC_NAME]: metric, ...rest } = labels;
  return { metric: metric ?? '', labels: rest, timestamp: time, value };
}
