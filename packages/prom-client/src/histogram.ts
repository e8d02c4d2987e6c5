import { format } from 'node:util';
import type { Histogram as CoreHistogram, HistogramChild as CoreHistogramChild } from '@vigil/core';
import { ChildCache } from './child-cache.js';
import { createCoreMetric } from './creator-registry.js';
import { Exemplar } from './exemplar.js';
import { type ChildBinding, Metric, type MetricConfiguration } from './metric.js';
import { secondsSince } from './timer.js';
import type {
  CollectFunction,
  ExposedValue,
  LabelValues,
  MetricObjectWithValues,
  MetricValueWithName,
  ObserveDataWithExemplar,
} from './types.js';

export interface HistogramConfiguration<T extends string> extends MetricConfiguration<T> {
  buckets?: number[];
  collect?: CollectFunction<Histogram<T>>;
}

/** A child bound to one label set (prom-client's `Histogram.Internal`). */
export interface HistogramInternal<T extends string> {
  observe(value: number): void;
  startTimer(): (labels?: LabelValues<T>) => number;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function checkedValue(value: unknown): number {
  if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${format(value)}`);
  return value as number;
}

/** Whether `labels` has no key (without listing them). */
function isEmpty(labels: object): boolean {
  for (const _ in labels) return false;
  return true;
}

/** prom-client's `Histogram` on a Vigil core histogram. */
export class Histogram<T extends string = string> extends Metric<T> {
  readonly type = 'histogram';
  readonly upperBounds: readonly number[];
  readonly #core: CoreHistogram<string>;
  readonly #children: ChildCache<HistogramInternal<T>>;
  /** The bound core child of an unlabelled metric without exemplars: `observe(v)` is one call. */
  readonly #sole: CoreHistogramChild | undefined;
  readonly #binding: ChildBinding<CoreHistogramChild, HistogramInternal<T>>;
  /** Per series, the exemplar of each bucket (`+Inf` last). */
  readonly #exemplars = new Map<HistogramInternal<T>, (Exemplar | null)[]>();

  constructor(configuration: HistogramConfiguration<T>) {
    super(configuration);
    for (const label of this.labelNames) {
      if (label === 'le') throw new Error('le is a reserved label keyword');
    }
    this.upperBounds = Object.freeze([...(configuration.buckets ?? DEFAULT_BUCKETS)]);
    this.#core = createCoreMetric((registry) =>
      registry.histogram({
        name: this.name,
        help: this.help,
        labelNames: [...this.labelNames],
        buckets: [...this.upperBounds],
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

  get buckets(): readonly number[] {
    return this.upperBounds;
  }

  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(observeData: ObserveDataWithExemplar<T>): void;
  observe(labels: LabelValues<T> | ObserveDataWithExemplar<T> | number, value?: number): void {
    const sole = this.#sole;
    if (sole !== undefined && typeof labels !== 'object') {
      sole.observe(checkedValue(labels));
      return;
    }
    if (this.enableExemplars) {
      this.#observeWithExemplar(labels as ObserveDataWithExemplar<T>);
      return;
    }
    if (typeof labels === 'object' && labels !== null) {
      const given = labels as Record<string, unknown>;
      const cached = this.#children.findLabels(given);
      const amount = checkedValue(value);
      this.recordingChild(given, cached, this.#children, this.#binding).observe(amount);
    } else if (this.labelNames.length === 0) {
      this.#core.observe(checkedValue(labels === 0 ? 0 : labels));
    } else {
      const before = this.#core.seriesCount;
      this.#core.observe(this.noLabels, checkedValue(labels));
      this.noteSeries(before, this.#core.seriesCount, this.noLabels, undefined);
    }
  }

  startTimer(labels?: LabelValues<T>): (labels?: LabelValues<T>) => number;
  startTimer(
    labels?: LabelValues<T>,
    exemplarLabels?: LabelValues<T>,
  ): (labels?: LabelValues<T>, exemplarLabels?: LabelValues<T>) => number;
  startTimer(
    labels?: LabelValues<T>,
    exemplarLabels?: LabelValues<T>,
  ): (labels?: LabelValues<T>, exemplarLabels?: LabelValues<T>) => number {
    const start = process.hrtime();
    return (endLabels, endExemplarLabels) => {
      const value = secondsSince(start);
      const sole = this.#sole;
      if (sole !== undefined && labels === undefined && endLabels === undefined) {
        // An unlabelled histogram timed without labels: its one series, as `observe(value)`.
        sole.observe(value);
        return value;
      }
      const all = { ...labels, ...endLabels } as LabelValues<T>;
      if (this.enableExemplars) {
        this.observe({
          labels: all,
          value,
          exemplarLabels: { ...exemplarLabels, ...endExemplarLabels },
        });
      } else {
        this.observe(all, value);
      }
      return value;
    };
  }

  async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ sharedLabels, labels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    })) as never;
    return data as unknown as MetricObjectWithValues<MetricValueWithName<T>>;
  }

  /** The values with each series' labels apart (`sharedLabels`), as prom-client renders them. */
  async getForPromString() {
    if (this.collect) await this.runCollect();
    const values: ExposedValue[] = [];
    const core = this.#core;
    const count = core.seriesCount;
    if (count === 0) return this.data(values, true);
    const bounds = core.bounds;
    // By label set when the noted series are the core's: a snapshot costs more.
    const arranged =
      this.order.read(count, (labels) => core.get(labels)) ??
      this.order
        .arrange(core.snapshot().series)
        .map(({ series, shown }) => ({ labels: series.labels, value: series, shown }));
    const bucket = `${this.name}_bucket`;
    const disabled = this.enableExemplars ? undefined : null;
    for (const { labels, value: series, shown: shared } of arranged) {
      const exemplars =
        this.#exemplars.size > 0
          ? this.#exemplars.get(
              this.cachedChild(labels, this.#children, this.#binding) as HistogramInternal<T>,
            )
          : undefined;
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += series.counts[i] as number;
        values.push({
          labels: { le: bounds[i] },
          sharedLabels: shared,
          value: cumulative,
          metricName: bucket,
          exemplar: exemplars?.[i] ?? null,
        });
      }
      values.push(
        {
          labels: { le: '+Inf' },
          sharedLabels: shared,
          value: series.count,
          metricName: bucket,
          exemplar: exemplars?.[bounds.length] ?? disabled,
        },
        {
          labels: {},
          sharedLabels: shared,
          value: series.sum,
          metricName: `${this.name}_sum`,
          exemplar: undefined,
        },
        {
          labels: {},
          sharedLabels: shared,
          value: series.count,
          metricName: `${this.name}_count`,
          exemplar: undefined,
        },
      );
    }
    return this.data(values, true);
  }

  /** Removes every series, the unlabelled one too, until the next observation (as prom-client). */
  reset(): void {
    this.#core.clear();
    this.#children.clear();
    this.order.clear();
    this.#exemplars.clear();
  }

  /** Creates the series of `labels` with zero counts (or sets it back to them). */
  zero(labels: LabelValues<T>): void {
    const core = this.labelsFor(labels as Record<string, unknown>);
    if (this.labelNames.length === 0) this.#core.clear();
    else this.#core.remove(core as never);
    this.#core.labels(core);
    this.order.note(core, labels as Record<string, unknown>);
    this.#forgetExemplars(core);
  }

  labels(...values: string[]): HistogramInternal<T>;
  labels(labels: LabelValues<T>): HistogramInternal<T>;
  labels(...args: unknown[]): HistogramInternal<T> {
    return this.childFor(args, this.#children, this.#binding);
  }

  #bind(child: CoreHistogramChild, labels: Record<string, string | number>): HistogramInternal<T> {
    return {
      observe: (value) => child.observe(checkedValue(value)),
      startTimer: () => this.startTimer(labels as LabelValues<T>),
    };
  }

  remove(...values: string[]): void;
  remove(labels: LabelValues<T>): void;
  remove(...args: unknown[]): void {
    const labels = this.labelsOfArguments(args);
    this.#forgetExemplars(labels);
    this.removeSeries(this.#core, labels, this.#children);
  }

  #forgetExemplars(labels: Readonly<Record<string, unknown>>): void {
    if (this.#exemplars.size === 0) return;
    const child = this.cachedChild(labels, this.#children, this.#binding);
    if (child !== undefined) this.#exemplars.delete(child);
  }

  #observeWithExemplar(data: ObserveDataWithExemplar<T>): void {
    const { value, exemplarLabels } = data ?? ({} as ObserveDataWithExemplar<T>);
    const given = (data?.labels === undefined ? {} : data.labels) as Record<string, unknown>;
    const cached = this.#children.findLabels(given);
    const amount = checkedValue(value);
    const child = this.recordingChild(given, cached, this.#children, this.#binding);
    child.observe(amount);
    if (exemplarLabels === undefined || isEmpty(exemplarLabels)) return;
    let exemplars = this.#exemplars.get(child);
    if (exemplars === undefined) {
      exemplars = new Array<Exemplar | null>(this.upperBounds.length + 1).fill(null);
      this.#exemplars.set(child, exemplars);
    }
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && !(value <= (bounds[index] as number))) index++;
    const exemplar = exemplars[index] ?? new Exemplar();
    exemplar.update(exemplarLabels as Record<string, unknown>, value);
    exemplars[index] = exemplar;
  }
}

// prom-client's types name a child `Histogram.Internal<T>` and the buckets option `Histogram.Config`.
export declare namespace Histogram {
  type Internal<T extends string> = HistogramInternal<T>;
  interface Config {
    buckets?: number[];
  }
}
