import { BoundSeries, type SeriesOwner } from './bound-series.js';
import { bucketIndex, checkBuckets, DEFAULT_BUCKETS } from './buckets.js';
import { formatCanonical, formatNumber } from './escape.js';
import {
  copyExemplar,
  type Exemplar,
  type ExemplarLabels,
  rejectsExemplar,
  renderExemplar,
} from './exemplar.js';
import { invalidReason } from './invalid-reason.js';
import type { Labels, LabelValue } from './label-values.js';
import { type ExpositionFormat, Metric, type MetricOptions } from './metric.js';
import type { MetricContext } from './metric-context.js';
import type { CollectCallback } from './metric-options.js';
import type { HistogramSnapshot } from './snapshot.js';
import { stopwatch } from './stopwatch.js';
import { SampleNames, type TextWriter, writeOpen, writeSample } from './text-writer.js';

/** Options of `registry.histogram()`. */
export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds of the buckets, increasing; default `DEFAULT_BUCKETS` (5 ms … 10 s). */
  buckets?: readonly number[];
  /** Called before each exposition or snapshot, with the histogram as `this` and argument. */
  collect?: CollectCallback<Histogram<L>>;
}

interface HistogramStore {
  /** Per series: one count per bucket (the last is +Inf), then the sum. */
  data: Float64Array;
}

/** What a histogram child needs from its histogram. */
interface ObserveOwner extends SeriesOwner {
  readonly bounds: Float64Array;
  readonly stride: number;
  rejectObservation(value: unknown): void;
  rejectsExemplar(labels: ExemplarLabels): boolean;
  recordExemplar(id: number, bucket: number, value: number, labels: ExemplarLabels): void;
}

/** Counts observations (latencies, sizes) into buckets; Prometheus computes quantiles from them. */
export class Histogram<L extends string = never> extends Metric<L> implements ObserveOwner {
  readonly type = 'histogram';
  /** @internal Upper bounds of the finite buckets. */
  readonly bounds: Float64Array;
  /** @internal Doubles per series: the buckets, +Inf, the sum. */
  readonly stride: number;
  readonly #store: HistogramStore = { data: new Float64Array(0) };
  readonly #le: string[];
  readonly #leOpenMetrics: string[];
  readonly #exemplars = new Map<number, Exemplar>();
  readonly #dropped: HistogramChild;
  readonly #names = new SampleNames(['_bucket', '_sum', '_count', '_created']);

  constructor(context: MetricContext, options: HistogramOptions<L>, defaultMaxSeries: number) {
    super(context, options, ['le'], defaultMaxSeries);
    this.bounds = checkBuckets(options.name, options.buckets ?? DEFAULT_BUCKETS);
    this.stride = this.bounds.length + 2;
    // Each with the rest of its line up to the value: `le="0.005"} `.
    this.#le = [...this.bounds].map((bound) => `le="${formatNumber(bound)}"} `);
    this.#le.push('le="+Inf"} ');
    this.#leOpenMetrics = [...this.bounds].map((bound) => `le="${formatCanonical(bound)}"} `);
    this.#leOpenMetrics.push('le="+Inf"} ');
    this.#dropped = new HistogramChild(this, this.#store, undefined);
    this.init();
  }

  /** Records `value` in the series of `labels`; `exemplar` labels the bucket (OpenMetrics). */
  observe(value: number): void;
  observe(labels: Labels<L>, value: number, exemplar?: ExemplarLabels): void;
  observe(labelsOrValue: Labels<L> | number, value?: number, exemplar?: ExemplarLabels): void {
    const labelled = typeof labelsOrValue === 'object' && labelsOrValue !== null;
    const amount = labelled ? value : labelsOrValue;
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      this.rejectObservation(amount);
      return;
    }
    if (exemplar !== undefined && this.rejectsExemplar(exemplar)) return;
    const id = labelled ? this.idOf(labelsOrValue) : this.soleId();
    if (id < 0) return;
    const data = this.#store.data;
    const base = id * this.stride;
    const bucket = bucketIndex(this.bounds, amount);
    (data[base + bucket] as number) += 1;
    (data[base + this.stride - 1] as number) += amount;
    if (exemplar !== undefined) this.recordExemplar(id, bucket, amount, exemplar);
  }

  /** Starts a timer; calling the result observes the seconds elapsed and returns them. */
  startTimer(labels?: Labels<L>): (extraLabels?: Partial<Labels<L>>) => number {
    const elapsed = stopwatch();
    return (extraLabels) => {
      const seconds = elapsed();
      if (labels === undefined && extraLabels === undefined) this.observe(seconds);
      else this.observe({ ...labels, ...extraLabels } as Labels<L>, seconds);
      return seconds;
    };
  }

  /**
   * A child bound to one label set, given as an object or as the values in `labelNames` order;
   * the same child is returned for the same label set.
   */
  labels(labels: Labels<L>): HistogramChild;
  labels(...values: LabelValue[]): HistogramChild;
  labels(labels?: unknown, ...rest: unknown[]): HistogramChild {
    return this.bindChild(
      labels,
      (values) => new HistogramChild(this, this.#store, values),
      this.#dropped,
      rest,
    );
  }

  /** Count, sum and per-bucket counts of a series, or undefined when it does not exist. */
  get(labels?: Labels<L>): { count: number; sum: number; counts: number[] } | undefined {
    const id = this.findId(labels);
    return id < 0 ? undefined : this.#read(id);
  }

  /** @internal */
  rejectObservation(value: unknown): void {
    this.context.reportInvalid(
      this.name,
      'INVALID_VALUE',
      invalidReason(value),
      `${this.name}: an observation should be a finite number, got ${String(value)}`,
    );
  }

  /**
   * @internal Whether `labels` cannot label an exemplar; then the whole observation is rejected
   * (reported through `onInvalid`) before anything is recorded, so that it is either recorded or
   * counted as dropped, never both.
   */
  rejectsExemplar(labels: ExemplarLabels): boolean {
    return rejectsExemplar(this.context, this.name, labels);
  }

  /** @internal Keeps the exemplar of bucket `bucket` of series `id` (its labels checked). */
  recordExemplar(id: number, bucket: number, value: number, labels: ExemplarLabels): void {
    this.#exemplars.set(id * this.stride + bucket, {
      labels,
      value,
      timestamp: this.context.now(),
    });
  }

  protected grow(capacity: number): void {
    const data = new Float64Array(capacity * this.stride);
    data.set(this.#store.data);
    this.#store.data = data;
  }

  protected clearSeries(id: number): void {
    const base = id * this.stride;
    this.#store.data.fill(0, base, base + this.stride);
    for (let bucket = 0; bucket < this.stride - 1; bucket++) this.#exemplars.delete(base + bucket);
  }

  /** The exemplars of series `id`'s buckets (null where none), or undefined when it has none. */
  #exemplarsOf(id: number): (Exemplar | null)[] | undefined {
    const base = id * this.stride;
    let any = false;
    const exemplars: (Exemplar | null)[] = [];
    for (let bucket = 0; bucket < this.stride - 1; bucket++) {
      const exemplar = this.#exemplars.get(base + bucket);
      if (exemplar !== undefined) any = true;
      exemplars.push(exemplar === undefined ? null : copyExemplar(exemplar));
    }
    return any ? exemplars : undefined;
  }

  #read(id: number): { count: number; sum: number; counts: number[] } {
    const base = id * this.stride;
    const counts = Array.from(this.#store.data.subarray(base, base + this.stride - 1));
    let count = 0;
    for (const c of counts) count += c;
    return { count, sum: this.#store.data[base + this.stride - 1] as number, counts };
  }

  /** @internal Writes the samples of series `id`; `labels` is its label pairs, defaults first. */
  renderSeries(
    out: TextWriter,
    format: ExpositionFormat,
    name: string,
    id: number,
    labels: string,
  ): void {
    const data = this.#store.data;
    const base = id * this.stride;
    const openMetrics = format === 'openmetrics';
    const le = openMetrics ? this.#leOpenMetrics : this.#le;
    const [bucketName, sumName, countName, createdName] = this.#names.of(name) as string[];
    let cumulative = 0;
    for (let bucket = 0; bucket < this.stride - 1; bucket++) {
      cumulative += data[base + bucket] as number;
      writeOpen(out, bucketName as string, labels);
      out.add(le[bucket] as string);
      out.add(String(cumulative));
      if (openMetrics && this.#exemplars.size > 0) {
        const exemplar = this.#exemplars.get(base + bucket);
        if (exemplar !== undefined) out.add(renderExemplar(exemplar));
      }
      out.add('\n');
    }
    const sum = formatNumber(data[base + this.stride - 1] as number);
    writeSample(out, sumName as string, labels, sum);
    writeSample(out, countName as string, labels, String(cumulative));
    if (openMetrics) {
      writeSample(out, createdName as string, labels, formatNumber(this.createdAt(id) / 1000));
    }
  }

  snapshot(defaultLabels: Readonly<Record<string, string>> = {}): HistogramSnapshot {
    const series: HistogramSnapshot['series'] = [];
    this.forEachSnapshotSeries(defaultLabels, (id, labels) => {
      const read = { labels, ...this.#read(id), created: this.createdAt(id) };
      const exemplars = this.#exemplars.size > 0 ? this.#exemplarsOf(id) : undefined;
      series.push(exemplars === undefined ? read : { ...read, exemplars });
    });
    return { ...this.snapshotBase(), type: 'histogram', bounds: [...this.bounds], series };
  }
}

/** A histogram bound to one label set. */
export class HistogramChild extends BoundSeries {
  readonly #histogram: ObserveOwner;
  readonly #store: HistogramStore;

  constructor(
    histogram: ObserveOwner,
    store: HistogramStore,
    values: readonly string[] | undefined,
  ) {
    super(histogram, values);
    this.#histogram = histogram;
    this.#store = store;
  }

  /** Records `value`; `exemplar` labels its bucket in OpenMetrics output. */
  observe(value: number, exemplar?: ExemplarLabels): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.#histogram.rejectObservation(value);
      return;
    }
    const histogram = this.#histogram;
    if (exemplar !== undefined && histogram.rejectsExemplar(exemplar)) return;
    const id = this.id >= 0 ? this.id : this.reattach();
    if (id < 0) return;
    const stride = histogram.stride;
    const base = id * stride;
    const bucket = bucketIndex(histogram.bounds, value);
    const data = this.#store.data;
    (data[base + bucket] as number) += 1;
    (data[base + stride - 1] as number) += value;
    if (exemplar !== undefined) histogram.recordExemplar(id, bucket, value, exemplar);
  }

  /** Starts a timer; calling the result observes the seconds elapsed and returns them. */
  startTimer(): () => number {
    const elapsed = stopwatch();
    return () => {
      const seconds = elapsed();
      this.observe(seconds);
      return seconds;
    };
  }
}
