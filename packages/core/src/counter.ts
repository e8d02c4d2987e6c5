import { BoundSeries, type SeriesOwner } from './bound-series.js';
import { formatNumber } from './escape.js';
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
import type { CounterSnapshot } from './snapshot.js';
import { SampleNames, type TextWriter, writeSample } from './text-writer.js';

/** Options of `registry.counter()`. */
export interface CounterOptions<L extends string> extends MetricOptions<L> {
  /**
   * Called before each exposition or snapshot, e.g. to `inc()` by a delta read elsewhere, with
   * the counter as `this` and as the argument.
   */
  collect?: CollectCallback<Counter<L>>;
}

/** What a counter child needs from its counter. */
interface IncrementOwner extends SeriesOwner {
  rejectIncrement(amount: unknown): void;
  rejectsExemplar(labels: ExemplarLabels): boolean;
  recordExemplar(id: number, value: number, labels: ExemplarLabels): void;
}

interface CounterStore {
  values: Float64Array;
}

/** A value that only goes up (requests served, bytes sent); reset only when the process restarts. */
export class Counter<L extends string = never> extends Metric<L> implements IncrementOwner {
  readonly type = 'counter';
  readonly #store: CounterStore = { values: new Float64Array(0) };
  /** The latest exemplar per series id; empty (and never looked at) unless one was given. */
  readonly #exemplars = new Map<number, Exemplar>();
  readonly #dropped: CounterChild;
  readonly #names = new SampleNames(['_total', '_created']);

  constructor(context: MetricContext, options: CounterOptions<L>, defaultMaxSeries: number) {
    super(context, options, [], defaultMaxSeries);
    this.#dropped = new CounterChild(this, this.#store, undefined);
    this.init();
  }

  /**
   * Adds `value` (default 1) to the series of `labels`, or to the only series. `exemplar` (e.g.
   * `{ trace_id: 'abc' }`) becomes the series' latest exemplar, rendered in OpenMetrics after its
   * `_total` sample with `value` and the time; invalid exemplar labels drop the whole increment
   * (`onInvalid`, reason `invalid_exemplar`).
   */
  inc(value?: number, exemplar?: ExemplarLabels): void;
  inc(labels: Labels<L>, value?: number, exemplar?: ExemplarLabels): void;
  inc(
    labelsOrValue?: Labels<L> | number,
    valueOrExemplar?: number | ExemplarLabels,
    exemplar?: ExemplarLabels,
  ): void {
    const labelled = typeof labelsOrValue === 'object' && labelsOrValue !== null;
    const amount = (labelled ? valueOrExemplar : labelsOrValue) ?? 1;
    if (
      typeof amount !== 'number' ||
      !(amount >= 0 && amount !== Infinity) ||
      (labelled ? exemplar : valueOrExemplar) !== undefined
    ) {
      this.incSlowly(labelsOrValue, valueOrExemplar, exemplar);
      return;
    }
    const id = labelled ? this.idOf(labelsOrValue) : this.soleId();
    if (id >= 0) (this.#store.values[id] as number) += amount;
  }

  /**
   * @internal The rest of `inc`: an exemplar, or an increment to reject. Apart, and called from
   * the branch that only rejected before, so that `inc` without an exemplar compiles as it did (a
   * separate branch for exemplars made `inc(labels)` ~40 % slower on V8 12).
   */
  incSlowly(labelsOrValue: unknown, valueOrExemplar: unknown, exemplar: unknown): void {
    const labelled = typeof labelsOrValue === 'object' && labelsOrValue !== null;
    const amount = (labelled ? valueOrExemplar : labelsOrValue) ?? 1;
    if (typeof amount !== 'number' || !(amount >= 0 && amount !== Infinity)) {
      this.rejectIncrement(amount);
      return;
    }
    const example = (labelled ? exemplar : valueOrExemplar) as ExemplarLabels;
    if (example !== undefined && this.rejectsExemplar(example)) return;
    const id = labelled ? this.idOf(labelsOrValue as Labels<L>) : this.soleId();
    if (id < 0) return;
    (this.#store.values[id] as number) += amount;
    if (example !== undefined) this.recordExemplar(id, amount, example);
  }

  /**
   * A child bound to one label set: validated once here, so that `child.inc()` is a single
   * addition. The same child is returned for the same label set, given as an object or, as
   * prom-client takes it, as the values in `labelNames` order: `labels('GET', '/users/:id')`.
   */
  labels(labels: Labels<L>): CounterChild;
  labels(...values: LabelValue[]): CounterChild;
  labels(labels?: unknown, ...rest: unknown[]): CounterChild {
    return this.bindChild(
      labels,
      (values) => new CounterChild(this, this.#store, values),
      this.#dropped,
      rest,
    );
  }

  /** Current value of a series, or undefined when it does not exist. For tests and dashboards. */
  get(labels?: Labels<L>): number | undefined {
    const id = this.findId(labels);
    return id < 0 ? undefined : this.#store.values[id];
  }

  /** @internal */
  rejectIncrement(amount: unknown): void {
    const negative = typeof amount === 'number' && amount < 0;
    this.context.reportInvalid(
      this.name,
      'INVALID_VALUE',
      invalidReason(amount),
      `${this.name}: a counter increment should be a finite number ≥ 0, got ${String(amount)}${negative ? '; use a gauge for values that go down' : ''}`,
    );
  }

  /** @internal Whether `labels` cannot label an exemplar (then reported, and nothing recorded). */
  rejectsExemplar(labels: ExemplarLabels): boolean {
    return rejectsExemplar(this.context, this.name, labels);
  }

  /** @internal Keeps `labels` (checked) as the latest exemplar of series `id`. */
  recordExemplar(id: number, value: number, labels: ExemplarLabels): void {
    this.#exemplars.set(id, { labels, value, timestamp: this.context.now() });
  }

  protected grow(capacity: number): void {
    const values = new Float64Array(capacity);
    values.set(this.#store.values);
    this.#store.values = values;
  }

  protected clearSeries(id: number): void {
    this.#store.values[id] = 0;
    if (this.#exemplars.size > 0) this.#exemplars.delete(id);
  }

  /** @internal Writes the samples of series `id`; `labels` is its label pairs, defaults first. */
  renderSeries(
    out: TextWriter,
    format: ExpositionFormat,
    name: string,
    id: number,
    labels: string,
  ): void {
    const value = formatNumber(this.#store.values[id] as number);
    if (format === 'prometheus') {
      writeSample(out, name, labels, value);
      return;
    }
    const [total, created] = this.#names.of(name) as [string, string];
    const exemplar = this.#exemplars.size > 0 ? this.#exemplars.get(id) : undefined;
    writeSample(
      out,
      total,
      labels,
      exemplar === undefined ? value : value + renderExemplar(exemplar),
    );
    writeSample(out, created, labels, formatNumber(this.createdAt(id) / 1000));
  }

  snapshot(defaultLabels: Readonly<Record<string, string>> = {}): CounterSnapshot {
    const series: CounterSnapshot['series'] = [];
    this.forEachSnapshotSeries(defaultLabels, (id, labels) => {
      const value = this.#store.values[id] as number;
      const exemplar = this.#exemplars.size > 0 ? this.#exemplars.get(id) : undefined;
      series.push(
        exemplar === undefined
          ? { labels, value, created: this.createdAt(id) }
          : { labels, value, created: this.createdAt(id), exemplar: copyExemplar(exemplar) },
      );
    });
    return { ...this.snapshotBase(), type: 'counter', series };
  }
}

/** A counter bound to one label set. */
export class CounterChild extends BoundSeries {
  readonly #counter: IncrementOwner;
  readonly #store: CounterStore;

  constructor(counter: IncrementOwner, store: CounterStore, values: readonly string[] | undefined) {
    super(counter, values);
    this.#counter = counter;
    this.#store = store;
  }

  /** Adds `value` (default 1); `exemplar` becomes the series' latest exemplar (OpenMetrics). */
  inc(value = 1, exemplar?: ExemplarLabels): void {
    if (typeof value !== 'number' || !(value >= 0 && value !== Infinity)) {
      this.#counter.rejectIncrement(value);
      return;
    }
    if (exemplar !== undefined && this.#counter.rejectsExemplar(exemplar)) return;
    const id = this.id >= 0 ? this.id : this.reattach();
    if (id < 0) return;
    (this.#store.values[id] as number) += value;
    if (exemplar !== undefined) this.#counter.recordExemplar(id, value, exemplar);
  }
}
