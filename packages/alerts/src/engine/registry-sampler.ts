import type { RegistrySnapshot } from '@vigil/core';
import { type Labels, labelsKey, METRIC_NAME } from '../promql/labels.js';

/** Where sampled points go: a history's `append`, or a batch for the store. */
export type SampleSink = (labels: Labels, time: number, value: number | null) => void;

/**
 * Writes a registry's snapshot into history as Prometheus would have scraped it: counters and
 * gauges under their names; histograms as cumulative `_bucket{le}`, `_sum` and `_count`;
 * summaries as `{quantile}`, `_sum` and `_count`. A series sampled last time and missing now
 * gets a stale marker, so that instant selectors stop seeing it at once, as in Prometheus.
 */
export class RegistrySampler {
  readonly #write: SampleSink;
  readonly #extra: Labels;
  #previous = new Map<string, Labels>();

  /**
   * `write` takes each point (`null`: a stale marker), with the same label object for a series
   * from one sample to the next; `extra`: labels added to every series (the engine's `instance`,
   * with a shared store).
   */
  constructor(write: SampleSink, extra: Labels = {}) {
    this.#write = write;
    this.#extra = extra;
  }

  sample(snapshot: RegistrySnapshot, time: number): number {
    const current = new Map<string, Labels>();
    const write = (name: string, labels: Labels, value: number): void => {
      const full = { ...labels, ...this.#extra, [METRIC_NAME]: name };
      const key = labelsKey(full);
      const known = this.#previous.get(key) ?? current.get(key);
      const stored = known ?? full;
      current.set(key, stored);
      this.#write(stored, time, value);
    };
    for (const metric of snapshot.metrics) {
      switch (metric.type) {
        case 'counter':
        case 'gauge':
          for (const series of metric.series)
            write(metric.name, series.labels, series.value ?? Number.NaN);
          break;
        case 'histogram':
          for (const series of metric.series) {
            let cumulative = 0;
            series.counts.forEach((count, i) => {
              cumulative += count;
              const bound = metric.bounds[i];
              write(
                `${metric.name}_bucket`,
                { ...series.labels, le: bound === undefined ? '+Inf' : String(bound) },
                cumulative,
              );
            });
            write(`${metric.name}_sum`, series.labels, series.sum);
            write(`${metric.name}_count`, series.labels, series.count);
          }
          break;
        case 'summary':
          for (const series of metric.series) {
            metric.quantiles.forEach((q, i) => {
              write(
                metric.name,
                { ...series.labels, quantile: String(q) },
                series.quantiles[i] ?? Number.NaN,
              );
            });
            write(`${metric.name}_sum`, series.labels, series.sum);
            write(`${metric.name}_count`, series.labels, series.count);
          }
          break;
      }
    }
    for (const [key, labels] of this.#previous) {
      if (!current.has(key)) this.#write(labels, time, null);
    }
    this.#previous = current;
    return current.size;
  }
}
