import { format } from 'node:util';
import type { Counter as CoreCounter, CounterChild as CoreCounterChild } from '@vigil/core';
import { ChildCache } from './child-cache.js';
import { createCoreMetric } from './creator-registry.js';
import { Exemplar } from './exemplar.js';
import { type ChildBinding, Metric, type MetricConfiguration } from './metric.js';
import type {
  CollectFunction,
  IncreaseDataWithExemplar,
  LabelValues,
  MetricObjectWithValues,
  MetricValue,
} from './types.js';

export interface CounterConfiguration<T extends string> extends MetricConfiguration<T> {
  collect?: CollectFunction<Counter<T>>;
}

/** A child bound to one label set (prom-client's `Counter.Internal`). */
export interface CounterInternal {
  inc(value?: number): void;
}

/** prom-client's checks on an increment; answers the amount to add. */
function amountOf(value: unknown): number {
  if (value && !Number.isFinite(value)) {
    throw new TypeError(`Value is not a valid number: ${format(value)}`);
  }
  if ((value as number) < 0) throw new Error('It is not possible to decrease a counter');
  return value === null || value === undefined ? 1 : (value as number);
}

/** prom-client's `Counter` on a Vigil core counter. */
export class Counter<T extends string = string> extends Metric<T> {
  readonly type = 'counter';
  readonly #core: CoreCounter<string>;
  readonly #children: ChildCache<CounterInternal>;
  /** The bound core child of an unlabelled counter without exemplars: `inc()` is one call. */
  readonly #sole: CoreCounterChild | undefined;
  readonly #binding: ChildBinding<CoreCounterChild, CounterInternal>;
  /** The latest exemplar of each series, by the child that records into it. */
  readonly #exemplars = new Map<CounterInternal, Exemplar>();

  constructor(configuration: CounterConfiguration<T>) {
    super(configuration);
    this.#core = createCoreMetric((registry) =>
      registry.counter({
        name: this.name,
        help: this.help,
        labelNames: [...this.labelNames],
      }),
    );
    this.#children = new ChildCache(this.labelNames);
    const unlabelled = this.labelNames.length === 0;
    this.#sole = unlabelled && !this.enableExemplars ? this.#core.labels() : undefined;
    this.#binding = this.childBinding(this.#core, false, this.#sole, (child) => this.#bind(child));
    this.register();
  }

  inc(labels: LabelValues<T>, value?: number): void;
  inc(value?: number): void;
  inc(incData: IncreaseDataWithExemplar<T>): void;
  inc(labels?: LabelValues<T> | IncreaseDataWithExemplar<T> | number, value?: number): void {
    const sole = this.#sole;
    if (sole !== undefined && typeof labels !== 'object') {
      sole.inc(labels === undefined ? 1 : amountOf(labels));
      return;
    }
    if (this.enableExemplars) {
      this.#incWithExemplar(labels as IncreaseDataWithExemplar<T> | undefined);
      return;
    }
    const metric = this.#core;
    if (typeof labels === 'object' && labels !== null) {
      const given = labels as Record<string, unknown>;
      const cached = this.#children.findLabels(given);
      const amount = amountOf(value);
      // NaN passes prom-client's checks and core drops it: through core, which creates no series.
      if (Number.isNaN(amount)) metric.inc(this.labelsFor(given), amount);
      else this.recordingChild(given, cached, this.#children, this.#binding).inc(amount);
    } else if (this.labelNames.length === 0) {
      metric.inc(amountOf(labels));
    } else {
      const before = metric.seriesCount;
      metric.inc(this.noLabels, amountOf(labels));
      this.noteSeries(before, metric.seriesCount, this.noLabels, undefined);
    }
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<T>>> {
    if (this.collect) await this.runCollect();
    const values = this.seriesValues(this.#core).map(({ labels, value: read, shown }) => {
      const value: { value: number; labels: LabelValues<T>; exemplar?: Exemplar } = {
        value: read,
        labels: shown as LabelValues<T>,
      };
      const exemplar =
        this.#exemplars.size > 0
          ? this.#exemplars.get(
              this.cachedChild(labels, this.#children, this.#binding) as CounterInternal,
            )
          : undefined;
      if (exemplar !== undefined) value.exemplar = exemplar;
      return value;
    });
    return this.data(values) as MetricObjectWithValues<MetricValue<T>>;
  }

  labels(...values: string[]): CounterInternal;
  labels(labels: LabelValues<T>): CounterInternal;
  labels(...args: unknown[]): CounterInternal {
    return this.childFor(args, this.#children, this.#binding);
  }

  #bind(child: CoreCounterChild): CounterInternal {
    return { inc: (value?: number) => child.inc(amountOf(value)) };
  }

  reset(): void {
    this.#core.reset();
    this.#children.clear();
    this.#exemplars.clear();
    this.order.clear();
  }

  remove(...values: string[]): void;
  remove(labels: LabelValues<T>): void;
  remove(...args: unknown[]): void {
    const labels = this.labelsOfArguments(args);
    const child = this.cachedChild(labels, this.#children, this.#binding);
    if (child !== undefined) this.#exemplars.delete(child);
    this.removeSeries(this.#core, labels, this.#children);
  }

  #incWithExemplar(data: IncreaseDataWithExemplar<T> = {}): void {
    const value = data.value ?? 1;
    const given = (data.labels === undefined ? {} : data.labels) as Record<string, unknown>;
    const cached = this.#children.findLabels(given);
    const amount = amountOf(value);
    if (Number.isNaN(amount)) {
      this.#core.inc(this.labelsFor(given), amount);
      return;
    }
    const child = this.recordingChild(given, cached, this.#children, this.#binding);
    child.inc(amount);
    if (data.exemplarLabels === undefined) return;
    let exemplar = this.#exemplars.get(child);
    if (exemplar === undefined) {
      exemplar = new Exemplar();
      this.#exemplars.set(child, exemplar);
    }
    exemplar.update(data.exemplarLabels as Record<string, unknown>, value ? value : 1);
  }
}

// prom-client's types name a child `Counter.Internal`.
export declare namespace Counter {
  type Internal = CounterInternal;
}
