import { format } from 'node:util';
import type {
  Summary as CoreSummary,
  SummaryChild as CoreSummaryChild,
  SummarySnapshot,
} from '@vigil/core';
import { ChildCache } from './child-cache.js';
import { createCoreMetric } from './creator-registry.js';
import { type ChildBinding, Metric, type MetricConfiguration } from './metric.js';
import { SUMMARY_SNAPSHOT } from './summary-sketches.js';
import { secondsSince } from './timer.js';
import type {
  CollectFunction,
  LabelValues,
  MetricObjectWithValues,
  MetricValueWithName,
} from './types.js';

export interface SummaryConfiguration<T extends string> extends MetricConfiguration<T> {
  percentiles?: number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
  pruneAgedBuckets?: boolean;
  /** Accepted for compatibility; Vigil's sketch needs no compression. */
  compressCount?: number;
  collect?: CollectFunction<Summary<T>>;
}

/** A child bound to one label set (prom-client's `Summary.Internal`). */
export interface SummaryInternal<T extends string> {
  observe(value: number): void;
  startTimer(): (labels?: LabelValues<T>) => number;
}

const DEFAULT_PERCENTILES = [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999];

function checkedValue(value: unknown): number {
  if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${format(value)}`);
  return value as number;
}

/**
 * prom-client's `Summary` on a Vigil core summary: quantiles come from a mergeable
 * relative-error sketch rather than prom-client's t-digest.
 */
export class Summary<T extends string = string> extends Metric<T> {
  readonly type = 'summary';
  readonly percentiles: readonly number[];
  readonly maxAgeSeconds: number | undefined;
  readonly ageBuckets: number | undefined;
  readonly pruneAgedBuckets: boolean;
  readonly #core: CoreSummary<string>;
  readonly #children: ChildCache<SummaryInternal<T>>;
  /** The bound core child of an unlabelled metric without exemplars: `observe(v)` is one call. */
  readonly #sole: CoreSummaryChild | undefined;
  readonly #binding: ChildBinding<CoreSummaryChild, SummaryInternal<T>>;

  constructor(configuration: SummaryConfiguration<T>) {
    super(configuration);
    for (const label of this.labelNames) {
      if (label === 'quantile') throw new Error('quantile is a reserved label keyword');
    }
    this.percentiles = [...(configuration.percentiles ?? DEFAULT_PERCENTILES)];
    this.maxAgeSeconds = configuration.maxAgeSeconds;
    this.ageBuckets = configuration.ageBuckets;
    this.pruneAgedBuckets = configuration.pruneAgedBuckets === true;
    const windowed = Boolean(this.maxAgeSeconds && this.ageBuckets);
    this.#core = createCoreMetric((registry) =>
      registry.summary({
        name: this.name,
        help: this.help,
        labelNames: [...this.labelNames],
        quantiles: this.percentiles,
        maxAge: windowed ? (this.maxAgeSeconds as number) * 1000 : false,
        ...(windowed ? { ageBuckets: this.ageBuckets as number } : {}),
      }),
    );
    this.#children = new ChildCache(this.labelNames);
    const unlabelled = this.labelNames.length === 0;
    this.#sole = unlabelled && !this.enableExemplars ? this.#core.labels() : undefined;
    this.#binding = this.childBinding(this.#core, true, this.#sole, (child, labels) =>
      this.#bind(child, labels),
    );
    this.register();
  }

  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(labels: LabelValues<T> | number, value?: number): void {
    const sole = this.#sole;
    if (sole !== undefined && typeof labels !== 'object') {
      sole.observe(checkedValue(labels));
      return;
    }
    if (typeof labels === 'object' && labels !== null) {
      const given = labels as Record<string, unknown>;
      const cached = this.#children.findLabels(given);
      const amount = checkedValue(value);
      this.recordingChild(given, cached, this.#children, this.#binding).observe(amount);
    } else if (this.labelNames.length === 0) {
      this.#core.observe(checkedValue(labels));
    } else {
      const before = this.#core.seriesCount;
      this.#core.observe(this.noLabels, checkedValue(labels));
      this.noteSeries(before, this.#core.seriesCount, this.noLabels, undefined);
    }
  }

  startTimer(labels?: LabelValues<T>): (labels?: LabelValues<T>) => number {
    const start = process.hrtime();
    return (endLabels) => {
      const value = secondsSince(start);
      const sole = this.#sole;
      // An unlabelled summary timed without labels: its one series, as `observe(value)`.
      if (sole !== undefined && labels === undefined && endLabels === undefined)
        sole.observe(value);
      else this.observe({ ...labels, ...endLabels } as LabelValues<T>, value);
      return value;
    };
  }

  async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    if (this.collect) await this.runCollect();
    const snapshot = this.#core.snapshot();
    const values: MetricValueWithName<T>[] = [];
    for (const { series, shown } of this.order.arrange(snapshot.series)) {
      if (this.pruneAgedBuckets && series.sketch.count === 0) {
        // prom-client deletes a series whose window is empty; an unlabelled one starts over.
        if (this.labelNames.length > 0) {
          this.removeSeries(this.#core, series.labels, this.#children);
        } else this.#core.reset();
        continue;
      }
      const labels = shown as LabelValues<T>;
      snapshot.quantiles.forEach((quantile, i) => {
        const value = series.quantiles[i];
        values.push({
          labels: { quantile, ...labels } as LabelValues<T>,
          value: value ? value : 0,
        });
      });
      values.push({ metricName: `${this.name}_sum`, labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: series.count });
    }
    return this.data(values, true) as MetricObjectWithValues<MetricValueWithName<T>>;
  }

  /** Sets every series back to no observations, keeping the series (as prom-client does). */
  reset(): void {
    const kept = this.#core.snapshot().series.map((series) => series.labels);
    this.#core.reset();
    this.#children.clear();
    if (this.labelNames.length === 0) return;
    for (const labels of kept) this.#core.labels(labels);
  }

  /** @internal The core snapshot, sketches included, for `AggregatorRegistry`'s exact merge. */
  [SUMMARY_SNAPSHOT](): SummarySnapshot {
    return this.#core.snapshot();
  }

  labels(...values: string[]): SummaryInternal<T>;
  labels(labels: LabelValues<T>): SummaryInternal<T>;
  labels(...args: unknown[]): SummaryInternal<T> {
    return this.childFor(args, this.#children, this.#binding);
  }

  #bind(child: CoreSummaryChild, labels: Record<string, string | number>): SummaryInternal<T> {
    return {
      observe: (value) => child.observe(checkedValue(value)),
      startTimer: () => this.startTimer(labels as LabelValues<T>),
    };
  }

  remove(...values: string[]): void;
  remove(labels: LabelValues<T>): void;
  remove(...args: unknown[]): void {
    const labels = this.labelsOfArguments(args);
    this.removeSeries(this.#core, labels, this.#children);
  }
}

// prom-client's types name a child `Summary.Internal<T>` and the percentiles option `Summary.Config`.
export declare namespace Summary {
  type Internal<T extends string> = SummaryInternal<T>;
  interface Config {
    percentiles?: number[];
  }
}
