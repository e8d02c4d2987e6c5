import type { SummarySnapshot } from '@vigil/core';
import type { Counter } from './counter.js';
import { metricAsString, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from './exposition.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';
import type { Summary } from './summary.js';
import { summarySnapshots } from './summary-sketches.js';
import type {
  MetricData,
  MetricLike,
  MetricObject,
  MetricObjectWithValues,
  MetricValue,
  OpenMetricsContentType,
  PrometheusContentType,
  RegistryContentType,
} from './types.js';

/** prom-client's `Metric` union. */
export type Metric<T extends string = string> = Counter<T> | Gauge<T> | Summary<T> | Histogram<T>;

const BRAND = Symbol.for('vigil.prom-client.Registry');
/** @internal How the entry point keeps its `contentType` export equal to the global registry's. */
export const WATCH_CONTENT_TYPE = Symbol.for('vigil.prom-client.watchContentType');
/** @internal How a cluster worker reads the sketches of its registries' summaries. */
export const SUMMARY_SNAPSHOTS = Symbol.for('vigil.prom-client.summarySnapshots');

/**
 * prom-client's `Registry`: holds metrics by name and renders them from their `get()` answers, as
 * prom-client does, so that custom `{ name, get() }` objects render the same way as the facade's
 * metrics (which read their values from Vigil's core metrics).
 */
export class Registry<
  BoundRegistryContentType extends RegistryContentType = PrometheusContentType,
> {
  static get PROMETHEUS_CONTENT_TYPE(): PrometheusContentType {
    return PROMETHEUS_CONTENT_TYPE;
  }

  static get OPENMETRICS_CONTENT_TYPE(): OpenMetricsContentType {
    return OPENMETRICS_CONTENT_TYPE;
  }

  /** The global registry (prom-client's `Registry.globalRegistry`). */
  static get globalRegistry(): Registry {
    return globalRegistry();
  }

  /** `instanceof` works across the ESM and CJS builds, which share the global registry. */
  static [Symbol.hasInstance](value: unknown): boolean {
    // A subclass (AggregatorRegistry) keeps the ordinary prototype check.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about
    if (this !== Registry) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  readonly [BRAND] = true;
  #metrics = new Map<string, MetricLike>();
  #defaultLabels: Record<string, unknown> = {};
  #contentType: BoundRegistryContentType;
  readonly #contentTypeWatchers: ((contentType: RegistryContentType) => void)[] = [];

  constructor(regContentType: BoundRegistryContentType = PROMETHEUS_CONTENT_TYPE as never) {
    if (regContentType !== PROMETHEUS_CONTENT_TYPE && regContentType !== OPENMETRICS_CONTENT_TYPE) {
      throw new TypeError(`Content type ${regContentType} is unsupported`);
    }
    this.#contentType = regContentType;
  }

  get contentType(): BoundRegistryContentType {
    return this.#contentType;
  }

  setContentType(contentType: BoundRegistryContentType): void {
    if (contentType !== OPENMETRICS_CONTENT_TYPE && contentType !== PROMETHEUS_CONTENT_TYPE) {
      throw new Error(`Content type ${contentType} is unsupported`);
    }
    this.#contentType = contentType;
    for (const watcher of this.#contentTypeWatchers) watcher(contentType);
  }

  /** @internal */
  [WATCH_CONTENT_TYPE](watcher: (contentType: RegistryContentType) => void): void {
    this.#contentTypeWatchers.push(watcher);
  }

  /** @internal The core snapshots of the registry's summaries (see `summarySnapshots`). */
  [SUMMARY_SNAPSHOTS](): SummarySnapshot[] {
    return summarySnapshots(this.#metrics.values(), this.#defaultLabels);
  }

  getMetricsAsArray(): MetricObject[] {
    return [...this.#metrics.values()] as unknown as MetricObject[];
  }

  getMetricsAsString(metric: MetricLike): Promise<string> {
    return metricAsString(metric, this.#defaultLabels, this.#openMetrics());
  }

  async metrics(): Promise<string> {
    const openMetrics = this.#openMetrics();
    const rendered = await Promise.all(
      [...this.#metrics.values()].map((metric) => {
        // prom-client renames an OpenMetrics counter `x_total` to `x` (its samples get `_total`).
        if (openMetrics && metric.type === 'counter')
          metric.name = metric.name.replace(/_total$/, '');
        return this.getMetricsAsString(metric);
      }),
    );
    return openMetrics ? `${rendered.join('\n')}\n# EOF\n` : `${rendered.join('\n\n')}\n`;
  }

  registerMetric(metric: MetricLike | object): void {
    const named = metric as MetricLike;
    const existing = this.#metrics.get(named.name);
    if (existing !== undefined && existing !== named) {
      throw new Error(`A metric with the name ${named.name} has already been registered.`);
    }
    this.#metrics.set(named.name, named);
  }

  clear(): void {
    this.#metrics = new Map();
    this.#defaultLabels = {};
  }

  async getMetricsAsJSON(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
    const defaultNames = Object.keys(this.#defaultLabels);
    const answers: MetricData[] = await Promise.all(
      [...this.#metrics.values()].map((metric) => metric.get()),
    );
    for (const item of answers) {
      if (item.values === undefined || defaultNames.length === 0) continue;
      for (const value of item.values) {
        const labels: Record<string, unknown> = { ...value.labels };
        for (const name of defaultNames) labels[name] = labels[name] || this.#defaultLabels[name];
        value.labels = labels;
      }
    }
    return answers as unknown as MetricObjectWithValues<MetricValue<string>>[];
  }

  removeSingleMetric(name: string): void {
    this.#metrics.delete(name);
  }

  getSingleMetricAsString(name: string): Promise<string> {
    return this.getMetricsAsString(this.#metrics.get(name) as MetricLike);
  }

  getSingleMetric<T extends string>(name: string): Metric<T> | undefined {
    return this.#metrics.get(name) as unknown as Metric<T> | undefined;
  }

  setDefaultLabels(labels: object): void {
    this.#defaultLabels = labels as Record<string, unknown>;
  }

  resetMetrics(): void {
    for (const metric of this.#metrics.values()) metric.reset?.();
  }

  static merge<T extends RegistryContentType = PrometheusContentType>(
    registers: Registry<T>[],
  ): Registry<T> {
    const type = (registers[0] as Registry<T>).contentType;
    for (const registry of registers) {
      if (registry.contentType !== type) {
        throw new Error('Registers can only be merged if they have the same content type');
      }
    }
    const merged = new Registry<T>(type);
    for (const registry of registers) {
      for (const metric of registry.#metrics.values()) merged.registerMetric(metric);
    }
    return merged;
  }

  #openMetrics(): boolean {
    return this.#contentType === OPENMETRICS_CONTENT_TYPE;
  }
}

const GLOBAL = Symbol.for('vigil.prom-client.globalRegistry');
type Holder = { [GLOBAL]?: Registry };

/**
 * The global registry, one per process: the ESM and the CJS build (and two installed copies of
 * this package) share it through a `Symbol.for` key, as prom-client's single CJS module does.
 */
export function globalRegistry(): Registry {
  const holder = globalThis as Holder;
  holder[GLOBAL] ??= new Registry();
  return holder[GLOBAL];
}
