import { EventEmitter } from 'eventemitter3';
import type { BackgroundErrorReporter } from './background-errors.js';
import type { Clock } from './clock.js';
import { Counter, type CounterOptions } from './counter.js';
import { ConfigurationError, MetricConflictError } from './errors.js';
import { labelPair } from './escape.js';
import {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  type RenderEntry,
  render,
} from './exposition.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import type { ExpositionFormat, Metric } from './metric.js';
import type { MetricContext } from './metric-context.js';
import { definitionOf, sameDefinition } from './metric-definition.js';
import {
  type InvalidObservationEvent,
  ObservationReporter,
  type OnInvalid,
  type OverflowEvent,
} from './observation-reporter.js';
import { describeValue } from './options/describe-value.js';
import { checkOptionsObject } from './options/options-object.js';
import { type RegistryOptions, registryConfig } from './registry-options.js';
import { type RegistrySnapshot, SNAPSHOT_VERSION } from './snapshot.js';
import { Summary, type SummaryOptions } from './summary.js';

/** Events a registry emits. */
export interface RegistryEvents {
  /** An observation was dropped (`onInvalid: 'drop'`). */
  invalid: [event: InvalidObservationEvent];
  /** A new label set went to the overflow series. */
  overflow: [event: OverflowEvent];
}

export type AnyMetric = Counter<string> | Gauge<string> | Histogram<string> | Summary<string>;

const COMMON_OPTIONS = ['name', 'help', 'labelNames', 'unit', 'maxSeries', 'collect'];
const EXTRA_OPTIONS: Record<AnyMetric['type'], string[]> = {
  counter: [],
  gauge: [],
  histogram: ['buckets'],
  summary: ['quantiles', 'maxAge', 'ageBuckets', 'relativeError'],
};

interface Entry {
  metric: Metric<string>;
  /** Default labels of the registry the metric was registered in, rendered. */
  defaultLabels: Readonly<Record<string, string>>;
}

/**
 * Holds metrics and renders them. Nothing registers itself globally: every metric belongs to the
 * registry that made it (prom-client's global registry is what this avoids).
 */
export class Registry extends EventEmitter<RegistryEvents> {
  readonly prefix: string;
  readonly defaultLabels: Readonly<Record<string, string>>;
  readonly onInvalid: OnInvalid;
  readonly maxSeriesPerMetric: number;
  /** Content type of `metrics()` in the default (Prometheus) format. */
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  readonly #entries = new Map<string, Entry>();
  readonly #context: MetricContext;
  readonly #clock: Clock;
  readonly #reportError: BackgroundErrorReporter;
  #invalidTotal: Counter<'metric' | 'reason'> | undefined;
  #overflowTotal: Counter<'metric'> | undefined;

  constructor(options?: RegistryOptions) {
    super();
    const config = registryConfig(options);
    this.prefix = config.prefix;
    this.defaultLabels = config.defaultLabels;
    this.onInvalid = config.onInvalid;
    this.maxSeriesPerMetric = config.maxSeriesPerMetric;
    this.#clock = config.clock;
    this.#reportError = config.reportError;
    const reporter = new ObservationReporter(this.onInvalid, {
      countInvalid: (metric, reason) => this.#invalidCounter().inc({ metric, reason }),
      countOverflow: (metric) => this.#overflowCounter().inc({ metric }),
      emitInvalid: (event) => this.emit('invalid', event),
      emitOverflow: (event) => this.emit('overflow', event),
    });
    this.#context = {
      reportInvalid: (metric, code, reason, message) =>
        reporter.invalid(metric, code, reason, message),
      reportOverflow: (metric, limit) => reporter.overflow(metric, limit),
      now: () => this.#clock.now(),
    };
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

  summary<L extends string = never>(options: SummaryOptions<L>): Summary<L> {
    return this.#register(
      'summary',
      options,
      (o) => new Summary(this.#context, o, this.maxSeriesPerMetric),
    );
  }

  /** The metric registered as `name` (with or without this registry's prefix). */
  get(name: string): AnyMetric | undefined {
    return (this.#entries.get(name) ?? this.#entries.get(this.prefix + name))?.metric as
      | AnyMetric
      | undefined;
  }

  /** All registered metrics, in registration order. */
  getAll(): AnyMetric[] {
    return [...this.#entries.values()].map((entry) => entry.metric as AnyMetric);
  }

  /** Unregisters `name`; returns whether it was registered. */
  remove(name: string): boolean {
    return this.#entries.delete(name) || this.#entries.delete(this.prefix + name);
  }

  /** Unregisters every metric. */
  clear(): void {
    this.#entries.clear();
    this.#invalidTotal = undefined;
    this.#overflowTotal = undefined;
  }

  /** Resets every metric's series (see each metric's `reset`). */
  resetAll(): void {
    for (const { metric } of this.#entries.values()) metric.reset();
  }

  /** Runs every metric's `collect` callback; failures go to `onError` (default: warned once). */
  async collect(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const { metric } of this.#entries.values()) {
      const result = this.#runCollect(metric);
      if (result !== undefined) pending.push(result);
    }
    await Promise.all(pending);
  }

  /** All metrics in the Prometheus text format 0.0.4 (default) or OpenMetrics 1.0. */
  async metrics(options: { format?: ExpositionFormat } = {}): Promise<string> {
    const format = options.format ?? 'prometheus';
    if (format !== 'prometheus' && format !== 'openmetrics') {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `format should be 'prometheus' or 'openmetrics', got ${describeValue(format)}`,
      );
    }
    await this.collect();
    return render(this.#renderEntries(), format);
  }

  /**
   * Every metric as plain, versioned JSON. Synchronous: `collect` callbacks run, but an async one
   * only updates the next snapshot; `await registry.collect()` first to wait for them.
   */
  snapshot(): RegistrySnapshot {
    for (const { metric } of this.#entries.values()) void this.#runCollect(metric);
    const metrics = [...this.#entries.values()].map(({ metric, defaultLabels }) =>
      metric.snapshot(withoutLabels(defaultLabels, metric.labelNames)),
    );
    return { version: SNAPSHOT_VERSION, timestamp: this.#clock.now(), metrics };
  }

  /**
   * A registry holding the metrics of all `registries` (the same metric objects, each with its
   * own registry's default labels). Two metrics of one name are a `METRIC_CONFLICT`.
   */
  static merge(registries: readonly Registry[]): Registry {
    const merged = new Registry();
    for (const registry of registries) {
      for (const [name, entry] of registry.#entries) {
        if (merged.#entries.has(name)) {
          throw new MetricConflictError(
            `Registry.merge: metric '${name}' is registered in more than one of the registries; give each a distinct name or prefix`,
          );
        }
        merged.#entries.set(name, entry);
      }
    }
    return merged;
  }

  #register<T, O extends { name: string }>(
    type: AnyMetric['type'],
    options: O,
    create: (options: O) => T,
  ): T {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${type} options should be an object with name and help, got ${describeValue(options)}`,
      );
    }
    checkOptionsObject(`${type} '${String(options.name)}'`, options, [
      ...COMMON_OPTIONS,
      ...EXTRA_OPTIONS[type],
    ]);
    const full = { ...options, name: this.prefix + String(options.name) };
    const existing = this.#entries.get(full.name);
    const created = create(full);
    const metric = created as unknown as Metric<string>;
    if (existing !== undefined) {
      const difference = sameDefinition(
        definitionOf(existing.metric as AnyMetric),
        definitionOf(metric as AnyMetric),
      );
      if (difference !== undefined) {
        throw new MetricConflictError(
          `metric '${full.name}' is already registered with a different ${difference}; register it once and share it, or use another name`,
        );
      }
      return existing.metric as unknown as T;
    }
    this.#entries.set(full.name, { metric, defaultLabels: this.defaultLabels });
    return created;
  }

  #runCollect(metric: Metric<string>): Promise<void> | undefined {
    const collect = metric.collect;
    if (collect === undefined) return undefined;
    try {
      // Called with the metric as `this`, as prom-client does: `collect() { this.set(n) }` works.
      const result = collect.call(metric, metric);
      if (result !== undefined && typeof result.then === 'function') {
        return result.then(undefined, (error: unknown) => this.#collectFailed(metric, error));
      }
    } catch (error) {
      this.#collectFailed(metric, error);
    }
    return undefined;
  }

  #collectFailed(metric: Metric<string>, error: unknown): void {
    this.#reportError(error, `collect ${metric.name}`);
  }

  *#renderEntries(): Generator<RenderEntry> {
    for (const { metric, defaultLabels } of this.#entries.values()) {
      const defaults = withoutLabels(defaultLabels, metric.labelNames);
      const rendered = Object.entries(defaults)
        .map(([name, value]) => labelPair(name, value))
        .join(',');
      yield { metric, defaultLabels: rendered };
    }
  }

  #invalidCounter(): Counter<'metric' | 'reason'> {
    this.#invalidTotal ??= this.counter({
      name: 'vigil_invalid_observations_total',
      help: 'Observations dropped because their value or labels were invalid.',
      labelNames: ['metric', 'reason'],
      // Bounded by metrics × reasons; a limit here could overflow into itself.
      maxSeries: Number.MAX_SAFE_INTEGER,
    });
    return this.#invalidTotal;
  }

  #overflowCounter(): Counter<'metric'> {
    this.#overflowTotal ??= this.counter({
      name: 'vigil_cardinality_overflow_total',
      help: 'Observations sent to the overflow series because a metric reached its series limit.',
      labelNames: ['metric'],
      maxSeries: Number.MAX_SAFE_INTEGER,
    });
    return this.#overflowTotal;
  }
}

// A metric's own label of the same name wins over a default label, as in prom-client.
function withoutLabels(
  defaults: Readonly<Record<string, string>>,
  names: readonly string[],
): Readonly<Record<string, string>> {
  if (!names.some((name) => name in defaults)) return defaults;
  return Object.fromEntries(Object.entries(defaults).filter(([name]) => !names.includes(name)));
}
