import type { ChildCache } from './child-cache.js';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from './exposition.js';
import { ABSENT, coreLabels, givenLabels, labelsOfArguments } from './label-arguments.js';
import { globalRegistry, type Registry } from './registry.js';
import { SeriesOrder } from './series-order.js';
import type {
  Aggregator,
  CollectFunction,
  MetricData,
  OpenMetricsContentType,
  PrometheusContentType,
  RegistryContentType,
} from './types.js';
import { validateLabelName, validateMetricName } from './validation.js';

/** What every metric's configuration takes (prom-client's `MetricConfiguration`). */
export interface MetricConfiguration<T extends string> {
  name: string;
  help: string;
  labelNames?: T[] | readonly T[];
  registers?: (Registry<PrometheusContentType> | Registry<OpenMetricsContentType>)[];
  aggregator?: Aggregator;
  // biome-ignore lint/suspicious/noExplicitAny: prom-client's own type
  collect?: CollectFunction<any>;
  enableExemplars?: boolean;
}

/**
 * What the four metric types share: prom-client's configuration checks and error messages, the
 * `registers` they join, and label handling. Each subclass wraps one core metric.
 */
/** How a metric binds a child of its core metric: the pieces `childFor` needs. */
export interface ChildBinding<K, C> {
  /**
   * Check the arguments of `labels()` on an unlabelled metric (prom-client's Counter does not).
   */
  readonly strict: boolean;
  seriesCount(): number;
  coreChild(labels: Record<string, string | number>): K;
  bind(child: K, labels: Record<string, string | number>): C;
  /** The child of an unlabelled metric. */
  sole(): C;
}

/** A core metric as `childBinding` binds its children. */
interface BindableCore<K> {
  readonly seriesCount: number;
  labels(...args: never[]): K;
}

/** A core counter or gauge as `seriesValues` reads it. */
interface ValueCore {
  readonly seriesCount: number;
  get(labels: never): number | undefined;
  snapshot(): { series: { labels: Record<string, string>; value: number }[] };
}

export abstract class Metric<T extends string = string> {
  name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly aggregator: Aggregator;
  readonly enableExemplars: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: prom-client's own type
  readonly collect: CollectFunction<any> | undefined;
  readonly registers: Registry<RegistryContentType>[];
  abstract readonly type: string;
  /** The complete core label set of "no labels" on a labelled metric. */
  protected readonly noLabels: Record<string, string>;
  /** Creation order of the series, and their label order, as prom-client shows them. */
  protected readonly order: SeriesOrder;

  constructor(config: MetricConfiguration<T>) {
    if (typeof config !== 'object' || config === null) {
      throw new TypeError('constructor expected a config object');
    }
    if (!config.help) throw new Error('Missing mandatory help parameter');
    if (!config.name) throw new Error('Missing mandatory name parameter');
    if (!validateMetricName(config.name)) throw new Error('Invalid metric name');
    const labelNames = config.labelNames ?? [];
    if (!validateLabelName(labelNames)) throw new Error('Invalid label name');
    if (config.collect && typeof config.collect !== 'function') {
      throw new Error('Optional "collect" parameter must be a function');
    }
    this.name = config.name;
    this.help = config.help;
    this.labelNames = [...labelNames];
    this.aggregator = config.aggregator ?? 'sum';
    this.enableExemplars = config.enableExemplars === true;
    this.collect = config.collect;
    this.registers = (config.registers ?? [globalRegistry()]) as Registry<RegistryContentType>[];
    this.noLabels = Object.fromEntries(this.labelNames.map((name) => [name, ABSENT]));
    this.order = new SeriesOrder(this.labelNames);
  }

  /** Joins `registers`; subclasses call it last, when the metric works. */
  protected register(): void {
    for (const registry of this.registers) {
      if (this.enableExemplars && registry.contentType === PROMETHEUS_CONTENT_TYPE) {
        throw new TypeError('Exemplars are supported only on OpenMetrics registries');
      }
      registry.registerMetric(this);
    }
  }

  /** The core label set of a recording's labels (`undefined` for none). */
  protected labelsFor(
    labels: Readonly<Record<string, unknown>> | undefined,
  ): Record<string, string | number> {
    if (labels === undefined) return this.noLabels;
    return coreLabels(this.labelNames, labels);
  }

  /** The core label set of `labels(...)` / `remove(...)` arguments. */
  protected labelsOfArguments(args: readonly unknown[]): Record<string, string | number> {
    return coreLabels(this.labelNames, labelsOfArguments(this.labelNames, args));
  }

  /**
   * After a recording that took the series count from `before` to `after`: notes the series of
   * `core` labels as new, created by `given` (a labels object as the caller wrote it).
   */
  protected noteSeries(
    before: number,
    after: number,
    core: Readonly<Record<string, unknown>>,
    given: Readonly<Record<string, unknown>> | undefined,
  ): void {
    if (after !== before) this.order.note(core, given ?? core);
  }

  /**
   * What `labels(...args)` answers: the child cached for the label set; for an unlabelled
   * metric, `binding.sole()`; else a new child bound to its core series, noted in creation order.
   */
  protected childFor<K, C>(
    args: readonly unknown[],
    children: ChildCache<C>,
    binding: ChildBinding<K, C>,
  ): C {
    const cached = children.find(args);
    if (cached !== undefined) return cached;
    if (this.labelNames.length === 0 && binding.strict) this.labelsOfArguments(args);
    return this.bindChild(args, children, binding);
  }

  /**
   * The child that records `inc(labels)`, `observe(labels, v)` …: `cached` (what
   * `children.findLabels(labels)` found), else one bound now, as `labels(labels)` binds it. A
   * recording through the child skips checking and looking up the label set in core again.
   */
  protected recordingChild<K, C>(
    labels: Readonly<Record<string, unknown>>,
    cached: C | undefined,
    children: ChildCache<C>,
    binding: ChildBinding<K, C>,
  ): C {
    return cached ?? this.bindChild([labels], children, binding);
  }

  /** The cached child of complete core `labels` (the bound one of an unlabelled metric). */
  protected cachedChild<K, C>(
    labels: Readonly<Record<string, unknown>>,
    children: ChildCache<C>,
    binding: ChildBinding<K, C>,
  ): C | undefined {
    return this.labelNames.length === 0 ? binding.sole() : children.findLabels(labels);
  }

  /** Removes the series of complete core `labels`: from `core`, the child cache and the order. */
  protected removeSeries<C>(
    core: { remove(labels: never): unknown },
    labels: Readonly<Record<string, unknown>>,
    children: ChildCache<C>,
  ): void {
    core.remove(labels as never);
    children.delete(labels);
    this.order.forget(labels);
  }

  /** A child not cached yet for `labels(...args)`: bound to its core series, noted, cached. */
  private bindChild<K, C>(
    args: readonly unknown[],
    children: ChildCache<C>,
    binding: ChildBinding<K, C>,
  ): C {
    if (this.labelNames.length === 0) return binding.sole();
    const labels = this.labelsOfArguments(args);
    const before = binding.seriesCount();
    const bound = binding.bind(binding.coreChild(labels), labels);
    this.noteSeries(before, binding.seriesCount(), labels, givenLabels(args));
    children.set(labels, bound);
    return bound;
  }

  /**
   * The `ChildBinding` of `core`'s children: `bind` wraps one; `sole` is the bound child of an
   * unlabelled metric if it has one already, else the child is bound on the first `labels()`.
   */
  protected childBinding<K, C>(
    core: BindableCore<K>,
    strict: boolean,
    sole: K | undefined,
    bind: (child: K, labels: Record<string, string | number>) => C,
  ): ChildBinding<K, C> {
    let soleBound: C | undefined;
    return {
      strict,
      seriesCount: () => core.seriesCount,
      coreChild: (labels) => core.labels(labels as never),
      bind,
      sole: () => (soleBound ??= bind(sole ?? core.labels(), {})),
    };
  }

  /**
   * The series of a core counter or gauge in creation order, with the labels prom-client shows:
   * read by label set when the noted series are the core's (a snapshot costs more).
   */
  protected seriesValues(
    core: ValueCore,
  ): { labels: Record<string, string>; value: number; shown: Record<string, string> }[] {
    const count = core.seriesCount;
    if (count === 0) return [];
    return (
      this.order.read(count, (labels) => core.get(labels as never)) ??
      this.order
        .arrange(core.snapshot().series)
        .map(({ series, shown }) => ({ labels: series.labels, value: series.value, shown }))
    );
  }

  /** Runs the `collect` callback, as prom-client's `get()` does first. */
  protected async runCollect(): Promise<void> {
    if (this.collect) {
      const result = this.collect.call(this);
      if (result instanceof Promise) await result;
    }
  }

  /**
   * The metric's fields of a `get()` answer, in prom-client's key order (its histograms and
   * summaries put `name` first, its counters and gauges `help`).
   */
  protected data<V>(values: V[], nameFirst = false): MetricData & { values: V[] } {
    const data = nameFirst
      ? {
          name: this.name,
          help: this.help,
          type: this.type,
          values,
          aggregator: this.aggregator,
        }
      : {
          help: this.help,
          name: this.name,
          type: this.type,
          values,
          aggregator: this.aggregator,
        };
    return data as unknown as MetricData & { values: V[] };
  }

  abstract get(): Promise<MetricData | object>;
  abstract reset(): void;
}

export { OPENMETRICS_CONTENT_TYPE };
