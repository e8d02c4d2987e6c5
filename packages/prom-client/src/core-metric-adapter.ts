import type { AnyMetric } from '@vigil/core';
import type { Aggregator, ExposedValue, MetricData } from './types.js';

/**
 * A core metric (one of the default process metrics) as a prom-client registry holds it: a
 * `{ name, type, get() }` object whose `get()` waits for `collect` (the core registry's collect
 * callbacks, shared by its metrics, see `sharedCollect`) and reads the metric's snapshot, with
 * `labels` (prom-client's `collectDefaultMetrics({ labels })`) on every series.
 */
export class CoreMetricAdapter {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: Aggregator;
  readonly #metric: AnyMetric;
  readonly #labels: Record<string, string>;
  readonly #collect: () => Promise<void>;

  constructor(
    metric: AnyMetric,
    labels: Record<string, string>,
    aggregator: Aggregator,
    collect: () => Promise<void>,
  ) {
    this.aggregator = aggregator;
    this.#collect = collect;
    this.#metric = metric;
    this.#labels = labels;
    this.name = metric.name;
    this.help = metric.help;
    this.type = metric.type;
  }

  async get(): Promise<MetricData> {
    const metric = this.#metric;
    await this.#collect();
    const snapshot = metric.snapshot();
    // prom-client writes a series' own labels first, then the `labels` option's.
    for (const series of snapshot.series) series.labels = { ...series.labels, ...this.#labels };
    const values: ExposedValue[] = [];
    if (snapshot.type === 'counter' || snapshot.type === 'gauge') {
      for (const series of snapshot.series)
        values.push({ value: series.value, labels: series.labels });
    } else if (snapshot.type === 'histogram') {
      for (const series of snapshot.series) {
        let cumulative = 0;
        snapshot.bounds.forEach((le, i) => {
          cumulative += series.counts[i] as number;
          values.push({
            labels: { le, ...series.labels },
            value: cumulative,
            metricName: `${this.name}_bucket`,
          });
        });
        values.push(
          {
            labels: { le: '+Inf', ...series.labels },
            value: series.count,
            metricName: `${this.name}_bucket`,
          },
          { labels: series.labels, value: series.sum, metricName: `${this.name}_sum` },
          { labels: series.labels, value: series.count, metricName: `${this.name}_count` },
        );
      }
    } else {
      for (const series of snapshot.series) {
        snapshot.quantiles.forEach((quantile, i) => {
          values.push({ labels: { quantile, ...series.labels }, value: series.quantiles[i] || 0 });
        });
        values.push(
          { labels: series.labels, value: series.sum, metricName: `${this.name}_sum` },
          { labels: series.labels, value: series.count, metricName: `${this.name}_count` },
        );
      }
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }

  /** prom-client resets default metrics with the registry; their values are read at each scrape. */
  reset(): void {}
}

/**
 * `collect` shared by the metrics of one scrape: a registry calls every metric's `get()` at once,
 * so the first call starts `collect()` and the others wait for the same run. Core's process
 * metrics need that: one callback (the CPU total's) updates three counters.
 */
export function sharedCollect(collect: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= collect().finally(() => {
      running = undefined;
    });
    return running;
  };
}
