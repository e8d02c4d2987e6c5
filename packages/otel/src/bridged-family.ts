import type { Attributes } from '@opentelemetry/api';
import {
  type DataPoint,
  DataPointType,
  type Histogram as OtelHistogram,
} from '@opentelemetry/sdk-metrics';
import type { Counter, Gauge, Histogram, Registry } from '@vigil/core';
import { markBridged } from './bridged-metrics.js';
import { replayBuckets } from './histogram-replay.js';
import { labelsOf } from './prometheus-names.js';

/** How a family's points reach its Vigil metric. */
export type FamilyKind = 'counter' | 'gauge' | 'histogram';

/** The definition of a bridged family; two OpenTelemetry metrics of one name must agree on it. */
export interface FamilyDefinition {
  readonly name: string;
  readonly kind: FamilyKind;
  readonly help: string;
  /** Histogram bucket bounds. */
  readonly bounds: readonly number[];
}

/** A point of a sum, a gauge or an explicit-bucket histogram. */
export type AnyPoint = DataPoint<number> | DataPoint<OtelHistogram>;
type BridgedMetric = Counter<string> | Gauge<string> | Histogram<string>;

/**
 * One OpenTelemetry metric family on a Vigil registry, as a Vigil metric the bridge owns. The
 * reader collects counters and histograms as deltas, which are added (a histogram's replayed
 * observation by observation), and gauges and up-down sums as cumulative values, which are set.
 * Label names are the union of the attribute names seen; when a new one appears the metric is
 * registered again with it, keeping its series.
 */
export class BridgedFamily {
  readonly definition: FamilyDefinition;
  readonly #registry: Registry;
  #labelNames: readonly string[] = [];
  #metric: BridgedMetric | undefined;

  constructor(registry: Registry, definition: FamilyDefinition) {
    this.#registry = registry;
    this.definition = definition;
  }

  /** The Vigil metric, once the first points arrived. */
  get metric(): BridgedMetric | undefined {
    return this.#metric;
  }

  /**
   * Records the points of one collection; `scope` labels go on every series.
   *
   * @throws what the registry throws when the name is taken (`METRIC_CONFLICT`).
   */
  record(points: readonly AnyPoint[], scope: Readonly<Record<string, string>>): void {
    const histogram = this.definition.kind === 'histogram';
    const labelled = points.map((point) => ({
      point,
      labels: labelsOf(point.attributes as Attributes, histogram, scope),
    }));
    const names = new Set(this.#labelNames);
    for (const { labels } of labelled) for (const name of Object.keys(labels)) names.add(name);
    if (this.#metric === undefined || names.size > this.#labelNames.length) {
      this.#register([...names].sort());
    }
    for (const { point, labels } of labelled) this.#recordPoint(point, this.#complete(labels));
  }

  #complete(labels: Record<string, string>): Record<string, string> {
    if (Object.keys(labels).length === this.#labelNames.length) return labels;
    const complete: Record<string, string> = {};
    for (const name of this.#labelNames) complete[name] = labels[name] ?? '';
    return complete;
  }

  #recordPoint(point: AnyPoint, labels: Record<string, string>): void {
    const metric = this.#metric as BridgedMetric;
    switch (metric.type) {
      case 'counter':
        if ((point.value as number) > 0) metric.inc(labels, point.value as number);
        return;
      case 'gauge':
        metric.set(labels, point.value as number);
        return;
      case 'histogram': {
        const value = point.value as OtelHistogram;
        if (value.count === 0) return;
        const delta = {
          counts: value.buckets.counts,
          sum: value.sum ?? 0,
          min: value.min,
          max: value.max,
        };
        replayBuckets(this.definition.bounds, delta, metric.labels(labels));
        return;
      }
    }
  }

  /** (Re-)registers the metric with `labelNames`, carrying the series of the previous one over. */
  #register(labelNames: readonly string[]): void {
    const previous = this.#metric?.snapshot();
    if (previous !== undefined) this.#registry.remove(this.definition.name);
    const { name, help, kind, bounds } = this.definition;
    const options = { name, help, labelNames };
    this.#metric =
      kind === 'counter'
        ? this.#registry.counter(options)
        : kind === 'gauge'
          ? this.#registry.gauge(options)
          : this.#registry.histogram({ ...options, buckets: bounds });
    markBridged(this.#metric);
    this.#labelNames = labelNames;
    if (previous === undefined) return;
    for (const series of previous.series) {
      const labels = this.#complete(series.labels);
      if ('counts' in series) {
        const child = (this.#metric as Histogram<string>).labels(labels);
        replayBuckets(bounds, { counts: series.counts, sum: series.sum }, child);
      } else if ('value' in series) {
        this.#recordPoint({ value: series.value } as AnyPoint, labels);
      }
    }
  }
}

/** The family kind of a data point type, or undefined when Prometheus' text cannot carry it. */
export function familyKindOf(type: DataPointType, monotonic: boolean): FamilyKind | undefined {
  switch (type) {
    case DataPointType.SUM:
      return monotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}
