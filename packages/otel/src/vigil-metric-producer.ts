import type { Attributes } from '@opentelemetry/api';
import type {
  CollectionResult,
  MetricCollectOptions,
  MetricProducer,
  ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { type Clock, type Registry, systemClock } from '@vigil/core';
import { hrTimeOf } from './hr-time.js';
import { metricDataOf } from './metric-data.js';
import { fixedResource, resourceAttributesOf } from './resource-attributes.js';
import { servedFamilyNames } from './served-families.js';
import {
  type DefaultLabelsPlacement,
  producerConfig,
  type VigilMetricProducerOptions,
} from './vigil-metric-producer-options.js';

/**
 * Vigil → OpenTelemetry: a `MetricProducer` for `@opentelemetry/sdk-metrics` 2 that answers a
 * registry's metrics, read from `registry.snapshot()` on each collection. Give it to a reader's
 * `metricProducers` and any exporter (OTLP over HTTP/protobuf, HTTP/JSON or gRPC) ships them:
 *
 * ```ts
 * const reader = new PeriodicExportingMetricReader({ exporter, metricProducers: [producer] });
 * new MeterProvider({ readers: [reader] });
 * ```
 *
 * Counters become monotonic cumulative sums, gauges gauges, histograms explicit-bucket
 * histograms, and summaries exponential histograms carrying the window's sketch unchanged.
 */
export class VigilMetricProducer implements MetricProducer {
  /** The registry's default labels as resource attributes (see `defaultLabels`). */
  readonly resourceAttributes: Attributes;
  readonly defaultLabels: DefaultLabelsPlacement;
  readonly #registry: Registry;
  readonly #scope: ScopeMetrics['scope'];
  readonly #clock: Clock;
  readonly #moved: readonly string[];
  readonly #started: number;
  readonly #shipBridged: boolean;

  /** @throws ConfigurationError `INVALID_OPTION` for a missing registry or a bad option. */
  constructor(options: VigilMetricProducerOptions) {
    const config = producerConfig(options);
    this.#registry = config.registry;
    this.#scope = config.scope;
    this.#clock = config.clock ?? systemClock;
    this.defaultLabels = config.defaultLabels;
    this.resourceAttributes = Object.freeze(resourceAttributesOf(this.#registry.defaultLabels));
    this.#moved =
      this.defaultLabels === 'resource' ? Object.keys(this.#registry.defaultLabels) : [];
    this.#started = this.#clock.now();
    this.#shipBridged = config.shipBridged;
  }

  /**
   * The registry's metrics as one scope of metric data. Alone (without a reader), the resource
   * is `resourceAttributes`; inside a reader, the SDK keeps its `MeterProvider`'s resource. A
   * failure is answered in `errors`, never thrown.
   */
  async collect(_options?: MetricCollectOptions): Promise<CollectionResult> {
    const resource = fixedResource(this.resourceAttributes);
    try {
      // Waits for async `collect` callbacks, which `snapshot()` alone would not.
      await this.#registry.collect();
      const snapshot = this.#registry.snapshot();
      const context = {
        endTime: hrTimeOf(snapshot.timestamp),
        gaugeStart: hrTimeOf(Math.min(this.#started, snapshot.timestamp)),
        moved: this.#moved,
      };
      const skipped = this.#shipBridged ? undefined : this.#servedNames();
      const metrics = snapshot.metrics
        .filter((metric) => skipped === undefined || !skipped.has(metric.name))
        .map((metric) => metricDataOf(metric, context));
      const scopeMetrics = [{ scope: this.#scope, metrics }];
      return { resourceMetrics: { resource, scopeMetrics }, errors: [] };
    } catch (error) {
      return { resourceMetrics: { resource, scopeMetrics: [] }, errors: [error] };
    }
  }

  /**
   * The names of the families a `VigilMetricReader` serves on the registry (its collector's),
   * less those of registered metrics, which the registry serves instead (a name conflict), or
   * undefined for none.
   */
  #servedNames(): Set<string> | undefined {
    const served = servedFamilyNames(this.#registry);
    if (served.size === 0) return undefined;
    const names = new Set(served);
    for (const metric of this.#registry.getAll()) names.delete(metric.name);
    return names;
  }
}
