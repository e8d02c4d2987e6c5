import { format } from 'node:util';
import type { Gauge as CoreGauge, GaugeChild as CoreGaugeChild } from '@vigil/core';
import { ChildCache } from './child-cache.js';
import { createCoreMetric } from './creator-registry.js';
import { type ChildBinding, Metric, type MetricConfiguration } from './metric.js';
import { secondsSince } from './timer.js';
import type { CollectFunction, LabelValues, MetricObjectWithValues, MetricValue } from './types.js';

export interface GaugeConfiguration<T extends string> extends MetricConfiguration<T> {
  collect?: CollectFunction<Gauge<T>>;
}

/** A child bound to one label set (prom-client's `Gauge.Internal`). */
export interface GaugeInternal<T extends string> {
  inc(value?: number): void;
  dec(value?: number): void;
  set(value: number): void;
  setToCurrentTime(): void;
  startTimer(): (labels?: LabelValues<T>) => number;
}

function checkedValue(value: unknown): number {
  if (typeof value !== 'number')
    throw new TypeError(`Value is not a valid number: ${format(value)}`);
  return value;
}

function checkedDelta(delta: unknown): number {
  if (typeof delta !== 'number')
    throw new TypeError(`Delta is not a valid number: ${format(delta)}`);
  return delta;
}

/** prom-client's `Gauge` on a Vigil core gauge. */
export class Gauge<T extends string = string> extends Metric<T> {
  readonly type = 'gauge';
  readonly #core: CoreGauge<string>;
  readonly #children: ChildCache<GaugeInternal<T>>;
  /** The bound core child of an unlabelled gauge: `inc()` and `set(v)` are one call. */
  readonly #sole: CoreGaugeChild | undefined;
  readonly #binding: ChildBinding<CoreGaugeChild, GaugeInternal<T>>;

  constructor(configuration: GaugeConfiguration<T>) {
    super(configuration);
    this.#core = createCoreMetric((registry) =>
      registry.gauge({
        name: this.name,
        help: this.help,
        labelNames: [...this.labelNames],
      }),
    );
    this.#children = new ChildCache(this.labelNames);
    this.#sole = this.labelNames.length === 0 ? this.#core.labels() : undefined;
    this.#binding = this.childBinding(this.#core, true, this.#sole, (child, labels) =>
      this.#bind(child, labels),
    );
    this.register();
  }

  set(labels: LabelValues<T>, value: number): void;
  set(value: number): void;
  set(labels: LabelValues<T> | number, value?: number): void {
    const sole = this.#sole;
    if (sole !== undefined && typeof labels !== 'object') {
      sole.set(checkedValue(labels));
      return;
    }
    if (typeof labels === 'object' && labels !== null) {
      const amount = checkedValue(value);
      const given = labels as Record<string, unknown>;
      const cached = this.#children.findLabels(given);
      this.recordingChild(given, cached, this.#children, this.#binding).set(amount);
    } else if (this.labelNames.length === 0) {
      this.#core.set(checkedValue(labels));
    } else {
      const before = this.#core.seriesCount;
      this.#core.set(this.noLabels, checkedValue(labels));
      this.noteSeries(before, this.#core.seriesCount, this.noLabels, undefined);
    }
  }

  inc(labels: LabelValues<T>, value?: number): void;
  inc(value?: number): void;
  inc(labels?: LabelValues<T> | number, value?: number): void {
    const sole = this.#sole;
    if (sole !== undefined && typeof labels !== 'object') {
      sole.inc(labels === undefined ? 1 : checkedDelta(labels));
      return;
    }
    this.#change(labels, value, 1);
  }

  dec(labels: LabelValues<T>, value?: number): void;
  dec(value?: number): void;
  dec(labels?: LabelValues<T> | number, value?: number): void {
    const sole = this.#sole;
    if (sole !== undefined && typeof labels !== 'object') {
      sole.dec(labels === undefined ? 1 : checkedDelta(labels));
      return;
    }
    this.#change(labels, value, -1);
  }

  setToCurrentTime(labels?: LabelValues<T>): void {
    const now = Date.now() / 1000;
    if (labels === undefined) this.set(now);
    else this.set(labels, now);
  }

  startTimer(labels?: LabelValues<T>): (labels?: LabelValues<T>) => number {
    const start = process.hrtime();
    return (endLabels) => {
      const value = secondsSince(start);
      const sole = this.#sole;
      // An unlabelled gauge timed without labels: its one series, as `set(value)`.
      if (sole !== undefined && labels === undefined && endLabels === undefined) sole.set(value);
      else this.set({ ...labels, ...endLabels } as LabelValues<T>, value);
      return value;
    };
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<T>>> {
    if (this.collect) await this.runCollect();
    const values = this.seriesValues(this.#core).map(({ value, shown }) => ({
      value,
      labels: shown as LabelValues<T>,
    }));
    return this.data(values) as MetricObjectWithValues<MetricValue<T>>;
  }

  labels(...values: string[]): GaugeInternal<T>;
  labels(labels: LabelValues<T>): GaugeInternal<T>;
  labels(...args: unknown[]): GaugeInternal<T> {
    return this.childFor(args, this.#children, this.#binding);
  }

  #bind(child: CoreGaugeChild, labels: Record<string, string | number>): GaugeInternal<T> {
    return {
      inc: (value = 1) => child.inc(checkedDelta(value)),
      dec: (value = 1) => child.dec(checkedDelta(value)),
      set: (value) => child.set(checkedValue(value)),
      setToCurrentTime: () => child.set(Date.now() / 1000),
      startTimer: () => this.startTimer(labels as LabelValues<T>),
    };
  }

  reset(): void {
    this.#core.reset();
    this.#children.clear();
    this.order.clear();
  }

  remove(...values: string[]): void;
  remove(labels: LabelValues<T>): void;
  remove(...args: unknown[]): void {
    const labels = this.labelsOfArguments(args);
    this.removeSeries(this.#core, labels, this.#children);
  }

  #change(labels: LabelValues<T> | number | undefined, value: number | undefined, sign: 1 | -1) {
    if (typeof labels === 'object' && labels !== null) {
      const delta = checkedDelta(value === undefined ? 1 : value);
      const given = labels as Record<string, unknown>;
      const cached = this.#children.findLabels(given);
      if (!Number.isFinite(delta)) {
        // Core drops a NaN or infinite change: through core, which creates no series.
        this.#core.inc(this.labelsFor(given), sign * delta);
        return;
      }
      const child = this.recordingChild(given, cached, this.#children, this.#binding);
      if (sign > 0) child.inc(delta);
      else child.dec(delta);
    } else {
      const delta = checkedDelta(labels === undefined ? 1 : labels);
      if (this.labelNames.length === 0) this.#core.inc(sign * delta);
      else {
        const before = this.#core.seriesCount;
        this.#core.inc(this.noLabels, sign * delta);
        this.noteSeries(before, this.#core.seriesCount, this.noLabels, undefined);
      }
    }
  }
}

// prom-client's types name a child `Gauge.Internal<T>`.
export declare namespace Gauge {
  type Internal<T extends string> = GaugeInternal<T>;
}
