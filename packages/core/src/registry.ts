import { EventEmitter } from 'eventemitter3';
import type { BackgroundErrorReporter } from './background-errors.js';
import type { Clock } from './clock.js';
import { runCollect } from './collect-callbacks.js';
import { CollectorSet } from './collector-set.js';
import { Counter, type CounterOptions } from './counter.js';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, render } from './exposition.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import { type ExpositionFormat, Metric } from './metric.js';
import type { MetricContext } from './metric-context.js';
import { type AnyMetric, MetricEntries } from './metric-entries.js';
import type { CollectCallback } from './metric-options.js';
import {
  type InvalidObservationEvent,
  ObservationReporter,
  type OnInvalid,
  type OverflowEvent,
} from './observation-reporter.js';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalChoice,
} from './options/index.js';
import { checkNewDefaultLabels, type RegistryOptions, registryConfig } from './registry-options.js';
import { RegistryOwnMetrics } from './registry-own-metrics.js';
import { type MetricSnapshot, type RegistrySnapshot, SNAPSHOT_VERSION } from './snapshot.js';
import type { SnapshotCollector } from './snapshot-collector.js';
import { renderMetricSnapshots } from './snapshot-exposition.js';
import { Summary, type SummaryOptions } from './summary.js';

/** Events a registry emits. */
export interface RegistryEvents {
  /** An observation was dropped (`onInvalid: 'drop'`). */
  invalid: [event: InvalidObservationEvent];
  /** A new label set went to the overflow series. */
  overflow: [event: OverflowEvent];
}

export type { AnyMetric } from './metric-entries.js';

/** `options` with its `collect` typed to receive the metric as `this` too. */
type WithCollect<O, M> = Omit<O, 'collect'> & { collect?: CollectCallback<M> };

const FORMATS: readonly ExpositionFormat[] = ['prometheus', 'openmetrics'];

/**
 * Holds metrics and renders them. Nothing registers itself globally: a metric is registered in
 * the registry that made it (prom-client's global registry is what this avoids), and can be added
 * to other registries with `register()` or removed from all of them.
 */
export class Registry extends EventEmitter<RegistryEvents> {
  readonly prefix: string;
  readonly onInvalid: OnInvalid;
  readonly maxSeriesPerMetric: number;
  /** The longest label value a new series may have (`maxLabelValueLength`). */
  readonly maxLabelValueLength: number;
  /** Content type of `metrics()` in the default (Prometheus) format. */
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  readonly #entries = new MetricEntries();
  #defaultLabels: Readonly<Record<string, string>>;
  readonly #context: MetricContext;
  readonly #clock: Clock;
  readonly #reportError: BackgroundErrorReporter;
  readonly #own: RegistryOwnMetrics;
  readonly #collectors: CollectorSet;

  constructor(options?: RegistryOptions) {
    super();
    const config = registryConfig(options);
    this.prefix = config.prefix;
    this.#defaultLabels = config.defaultLabels;
    this.onInvalid = config.onInvalid;
    this.maxSeriesPerMetric = config.maxSeriesPerMetric;
    this.maxLabelValueLength = config.maxLabelValueLength;
    this.#clock = config.clock;
    this.#reportError = config.reportError;
    this.#own = new RegistryOwnMetrics(this);
    this.#collectors = new CollectorSet(this.#reportError);
    const reporter = new ObservationReporter(this.onInvalid, {
      countInvalid: (metric, reason) => this.#own.invalid().inc({ metric, reason }),
      countOverflow: (metric) => this.#own.overflow().inc({ metric }),
      emitInvalid: (event) => this.#emitSafely('invalid', event),
      emitOverflow: (event) => this.#emitSafely('overflow', event),
    });
    this.#context = {
      reportInvalid: (metric, code, reason, message) =>
        reporter.invalid(metric, code, reason, message),
      reportOverflow: (metric, limit) => reporter.overflow(metric, limit),
      now: () => this.#clock.now(),
      maxLabelValueLength: this.maxLabelValueLength,
    };
  }

  /**
   * Labels added to every series of every metric registered here, metrics added with `register()`
   * included (a metric's own label of the same name wins). Read at each render and snapshot.
   */
  get defaultLabels(): Readonly<Record<string, string>> {
    return this.#defaultLabels;
  }

  /**
   * Replaces the default labels (checked as the `defaultLabels` option is); every metric
   * registered here gets them from the next `metrics()` or `snapshot()` on.
   *
   * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_LABEL_NAME`) naming the bad label.
   */
  setDefaultLabels(labels: Readonly<Record<string, string>>): void {
    this.#defaultLabels = checkNewDefaultLabels(labels, this.maxLabelValueLength);
  }

  /** Content type for `format`. */
  static contentTypeOf(format: ExpositionFormat): string {
    return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
  }

  counter<L extends string = never>(options: CounterOptions<L>): Counter<L> {
    return this.#register(
      'counter',
      options,
      (o) => new Counter(this.#context, o, this.maxSeriesPerMetric),
    );
  }

  gauge<L extends string = never>(options: GaugeOptions<L>): Gauge<L> {
    return this.#register(
      'gauge',
      options,
      (o) => new Gauge(this.#context, o, this.maxSeriesPerMetric),
    );
  }

  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    return this.#register(
      'histogram',
      options,
      (o) => new Histogram(this.#context, o, this.maxSeriesPerMetric),
    );
  }

  summary<L extends string = never>(
    options: WithCollect<SummaryOptions<L>, Summary<L>>,
  ): Summary<L> {
    return this.#register(
      'summary',
      options as SummaryOptions<L>,
      (o) => new Summary(this.#context, o, this.maxSeriesPerMetric),
    );
  }

  /**
   * Adds a metric made by any registry to this one: it is rendered and snapshotted here too, with
   * this registry's default labels (its name stays as made, without this registry's prefix). The
   * same metric again is a no-op. Its `onInvalid` policy, clock and invalid-observation counters
   * stay those of the registry that made it, also once removed from every registry
   * (`registry.remove(name)`): such a metric keeps recording, and shows nowhere until registered.
   *
   * @throws ConfigurationError `INVALID_OPTION` for something that is not a Vigil metric;
   *   MetricConflictError `METRIC_CONFLICT` when another metric is registered under its name, or
   *   exposes a name it would (a summary `x` and a gauge `x_sum`).
   */
  register(metric: AnyMetric): void {
    if (!(metric instanceof Metric)) {
      throw invalidOption(
        'registry.register()',
        `metric should be a counter, gauge, histogram or summary made by a Registry, got ${describeValue(metric)}`,
      );
    }
    this.#entries.add(metric, this, 'registry.register(): ');
  }

  /** The metric registered as `name` (with or without this registry's prefix). */
  get(name: string): AnyMetric | undefined {
    return (this.#entries.get(name) ?? this.#entries.get(this.prefix + name))?.metric;
  }

  /** All registered metrics, in registration order. */
  getAll(): AnyMetric[] {
    return [...this.#entries.values()].map((entry) => entry.metric);
  }

  /**
   * Unregisters `name` (with or without this registry's prefix); returns whether it was
   * registered. The metric keeps working, in the other registries it is registered in, or in none.
   */
  remove(name: string): boolean {
    const key = this.#entries.has(name) ? name : this.prefix + name;
    const metric = this.#entries.delete(key);
    if (metric === undefined) return false;
    this.#own.forget(metric);
    return true;
  }

  /**
   * Adds `collector`: its families are rendered after the registry's metrics and listed in
   * `snapshot()`, with the registry's default labels. A family named like a registered metric,
   * or like an earlier family, is left out and reported to `onError` (`METRIC_CONFLICT`).
   *
   * @throws ConfigurationError `INVALID_OPTION` for something that is not a collector;
   *   MetricConflictError `METRIC_CONFLICT` when a collector of that name is registered.
   */
  addCollector(collector: SnapshotCollector): void {
    this.#collectors.add(collector);
  }

  /** Removes the collector named `name`; returns whether there was one. */
  removeCollector(name: string): boolean {
    return this.#collectors.remove(name);
  }

  /** Unregisters every metric and collector. */
  clear(): void {
    this.#collectors.clear();
    this.#entries.clear();
    this.#own.forgetAll();
  }

  /** Resets every metric's series (see each metric's `reset`). */
  resetAll(): void {
    for (const { metric } of this.#entries.values()) metric.reset();
  }

  /**
   * Runs every metric's `collect` callback and waits for them. A failing one goes to `onError`
   * (default: a warning once per metric); the metric keeps its previous values.
   */
  async collect(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const { metric } of this.#entries.values()) {
      const result = runCollect(metric, this.#collectFailed);
      if (result !== undefined) pending.push(result);
    }
    pending.push(...this.#collectors.run());
    await Promise.all(pending);
  }

  /** All metrics in the Prometheus text format 0.0.4 (default) or OpenMetrics 1.0. */
  async metrics(options: { format?: ExpositionFormat } = {}): Promise<string> {
    const checked = checkOptionsObject('registry.metrics()', options, ['format']);
    const format =
      optionalChoice('registry.metrics()', 'format', checked.format, FORMATS) ?? 'prometheus';
    await this.collect();
    if (this.#collectors.size === 0) return render(this.#entries.renderEntries(), format);
    return render(this.#entries.renderEntries(), format, () =>
      renderMetricSnapshots(this.#collectedFamilies(), format),
    );
  }

  /**
   * Every metric as plain, versioned JSON. Synchronous: `collect` callbacks run, but an async one
   * only updates the next snapshot; `await registry.collect()` first to wait for them.
   */
  snapshot(): RegistrySnapshot {
    for (const { metric } of this.#entries.values()) void runCollect(metric, this.#collectFailed);
    void this.#collectors.run();
    const metrics = [...this.#entries.values()].map((entry) =>
      entry.metric.snapshot(this.#entries.defaultsOf(entry)),
    );
    if (this.#collectors.size > 0) metrics.push(...this.#collectedFamilies());
    return { version: SNAPSHOT_VERSION, timestamp: this.#clock.now(), metrics };
  }

  /**
   * A registry holding the metrics of all `registries` (the same metric objects, each with the
   * current default labels of the registry it came from, also after `setDefaultLabels`). A metric
   * registered in several of them is listed once, with the first one's. Two metrics of one name,
   * or whose exposed names collide (a summary `x` and a gauge `x_sum`), are a `METRIC_CONFLICT`.
   * Metrics registered in or removed from `registries` later are not followed; the merged
   * registry's own `setDefaultLabels` reaches only its collectors' families.
   */
  static merge(registries: readonly Registry[]): Registry {
    const merged = new Registry();
    for (const registry of registries) {
      for (const collector of registry.#collectors.collectors()) merged.addCollector(collector);
      for (const entry of registry.#entries.values()) {
        merged.#entries.add(entry.metric, entry.labels, 'Registry.merge: ');
      }
    }
    return merged;
  }

  #register<T extends AnyMetric, O extends { name: string }>(
    type: T['type'],
    options: O,
    create: (options: O) => T,
  ): T {
    return this.#entries.create(type, options, this.prefix, create, this);
  }

  // A listener that throws must not throw into the host's `inc()`: it goes to `onError`.
  #emitSafely(event: 'invalid' | 'overflow', payload: InvalidObservationEvent | OverflowEvent) {
    try {
      this.emit(event, payload as never);
    } catch (error) {
      this.#reportError(error, `${event} listener`);
    }
  }

  readonly #collectFailed = (metric: Metric<string>, error: unknown): void => {
    this.#reportError(error, `collect ${metric.name}`);
  };

  #collectedFamilies(): MetricSnapshot[] {
    return this.#collectors.families(
      (family) => this.#entries.exposes(family),
      this.#defaultLabels,
    );
  }
}
