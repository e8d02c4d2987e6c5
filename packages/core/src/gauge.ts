import { BoundSeries, type SeriesOwner } from './bound-series.js';
import { formatNumber } from './escape.js';
import { invalidReason } from './invalid-reason.js';
import type { Labels, LabelValue } from './label-values.js';
import { type ExpositionFormat, Metric, type MetricOptions } from './metric.js';
import type { MetricContext } from './metric-context.js';
import type { CollectCallback } from './metric-options.js';
import type { GaugeSnapshot } from './snapshot.js';
import { stopwatch } from './stopwatch.js';
import { type TextWriter, writeSample } from './text-writer.js';

/** Options of `registry.gauge()`. */
export interface GaugeOptions<L extends string> extends MetricOptions<L> {
  /**
   * Called before each exposition or snapshot to set the current value (sync or async), with
   * the gauge as `this` and as the argument: `collect() { this.set(queue.length) }` (prom-client
   * style) and `collect: (gauge) => gauge.set(queue.length)` both work.
   */
  collect?: CollectCallback<Gauge<L>>;
}

interface GaugeStore {
  values: Float64Array;
}

/** What a gauge child needs from its gauge. */
interface GaugeOwner extends SeriesOwner {
  rejectChange(amount: unknown): void;
  rejectSet(value: unknown): void;
  now(): number;
}

/** A value that goes up and down (queue depth, memory in use, temperature). */
export class Gauge<L extends string = never> extends Metric<L> implements GaugeOwner {
  readonly type = 'gauge';
  readonly #store: GaugeStore = { values: new Float64Array(0) };
  readonly #dropped: GaugeChild;

  constructor(context: MetricContext, options: GaugeOptions<L>, defaultMaxSeries: number) {
    super(context, options, [], defaultMaxSeries, false);
    this.#dropped = new GaugeChild(this, this.#store, undefined);
    this.init();
  }

  /** Sets the series of `labels` (or the only series) to `value`. NaN and ±Inf are allowed. */
  set(value: number): void;
  set(labels: Labels<L>, value: number): void;
  set(labelsOrValue: Labels<L> | number, value?: number): void {
    const labelled = typeof labelsOrValue === 'object' && labelsOrValue !== null;
    const amount = labelled ? value : labelsOrValue;
    if (typeof amount !== 'number') {
      this.rejectSet(amount);
      return;
    }
    const id = labelled ? this.idOf(labelsOrValue) : this.soleId();
    if (id >= 0) this.#store.values[id] = amount;
  }

  /** Adds `value` (default 1). */
  inc(value?: number): void;
  inc(labels: Labels<L>, value?: number): void;
  inc(labelsOrValue?: Labels<L> | number, value?: number): void {
    this.#add(labelsOrValue, value, 1);
  }

  /** Subtracts `value` (default 1). */
  dec(value?: number): void;
  dec(labels: Labels<L>, value?: number): void;
  dec(labelsOrValue?: Labels<L> | number, value?: number): void {
    this.#add(labelsOrValue, value, -1);
  }

  /** Sets the gauge to the current time in seconds since the epoch. */
  setToCurrentTime(labels?: Labels<L>): void {
    if (labels === undefined) this.set(this.now() / 1000);
    else this.set(labels, this.now() / 1000);
  }

  /** Starts a timer; calling the result sets the gauge to the seconds elapsed and returns them. */
  startTimer(labels?: Labels<L>): (extraLabels?: Partial<Labels<L>>) => number {
    const elapsed = stopwatch();
    return (extraLabels) => {
      const seconds = elapsed();
      if (labels === undefined && extraLabels === undefined) this.set(seconds);
      else this.set({ ...labels, ...extraLabels } as Labels<L>, seconds);
      return seconds;
    };
  }

  /**
   * A child bound to one label set, given as an object or as the values in `labelNames` order;
   * the same child is returned for the same label set.
   */
  labels(labels: Labels<L>): GaugeChild;
  labels(...values: LabelValue[]): GaugeChild;
  labels(labels?: unknown, ...rest: unknown[]): GaugeChild {
    return this.bindChild(
      labels,
      (values) => new GaugeChild(this, this.#store, values),
      this.#dropped,
      rest,
    );
  }

  /** Current value of a series, or undefined when it does not exist. */
  get(labels?: Labels<L>): number | undefined {
    const id = this.findId(labels);
    return id < 0 ? undefined : this.#store.values[id];
  }

  /** @internal */
  now(): number {
    return this.context.now();
  }

  /** @internal */
  rejectChange(amount: unknown): void {
    this.context.reportInvalid(
      this.name,
      'INVALID_VALUE',
      invalidReason(amount),
      `${this.name}: a gauge change should be a finite number, got ${String(amount)}`,
    );
  }

  /** @internal */
  rejectSet(value: unknown): void {
    this.context.reportInvalid(
      this.name,
      'INVALID_VALUE',
      'not_a_number',
      `${this.name}: a gauge value should be a number, got ${typeof value} ${String(value)}`,
    );
  }

  #add(labelsOrValue: Labels<L> | number | undefined, value: number | undefined, sign: 1 | -1) {
    const labelled = typeof labelsOrValue === 'object' && labelsOrValue !== null;
    const amount = (labelled ? value : labelsOrValue) ?? 1;
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      this.rejectChange(amount);
      return;
    }
    const id = labelled ? this.idOf(labelsOrValue) : this.soleId();
    if (id >= 0) (this.#store.values[id] as number) += sign * amount;
  }

  protected grow(capacity: number): void {
    const values = new Float64Array(capacity);
    values.set(this.#store.values);
    this.#store.values = values;
  }

  protected clearSeries(id: number): void {
    this.#store.values[id] = 0;
  }

  /** @internal Writes the sample of series `id`; `labels` is its label pairs, defaults first. */
  renderSeries(
    out: TextWriter,
    _format: ExpositionFormat,
    name: string,
    id: number,
    labels: string,
  ): void {
    writeSample(out, name, labels, formatNumber(this.#store.values[id] as number));
  }

  snapshot(defaultLabels: Readonly<Record<string, string>> = {}): GaugeSnapshot {
    const series: GaugeSnapshot['series'] = [];
    this.forEachSnapshotSeries(defaultLabels, (id, labels) => {
      series.push({ labels, value: this.#store.values[id] as number });
    });
    return { ...this.snapshotBase(), type: 'gauge', series };
  }
}

/** A gauge bound to one label set. */
export class GaugeChild extends BoundSeries {
  readonly #gauge: GaugeOwner;
  readonly #store: GaugeStore;

  constructor(gauge: GaugeOwner, store: GaugeStore, values: readonly string[] | undefined) {
    super(gauge, values);
    this.#gauge = gauge;
    this.#store = store;
  }

  set(value: number): void {
    if (typeof value !== 'number') {
      this.#gauge.rejectSet(value);
      return;
    }
    const id = this.id >= 0 ? this.id : this.reattach();
    if (id >= 0) this.#store.values[id] = value;
  }

  inc(value = 1): void {
    this.#add(value);
  }

  dec(value = 1): void {
    this.#add(-value);
  }

  setToCurrentTime(): void {
    this.set(this.#gauge.now() / 1000);
  }

  /** Starts a timer; calling the result sets the gauge to the seconds elapsed and returns them. */
  startTimer(): () => number {
    const elapsed = stopwatch();
    return () => {
      const seconds = elapsed();
      this.set(seconds);
      return seconds;
    };
  }

  #add(amount: number): void {
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      this.#gauge.rejectChange(amount);
      return;
    }
    const id = this.id >= 0 ? this.id : this.reattach();
    if (id >= 0) (this.#store.values[id] as number) += amount;
  }
}
