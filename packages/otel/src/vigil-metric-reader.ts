import {
  AggregationTemporality,
  DataPointType,
  InstrumentType,
  type MetricData,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { type BackgroundErrorReporter, backgroundErrorReporter, type Gauge } from '@vigil/core';
import { invalidOption } from '@vigil/core/options';
import {
  type AnyPoint,
  BridgedFamily,
  type FamilyDefinition,
  familyKindOf,
} from './bridged-family.js';
import { markBridged } from './bridged-metrics.js';
import { OtelMetricConflictError, OtelUnsupportedMetricError } from './errors.js';
import { labelsOf, prometheusNameOf } from './prometheus-names.js';
import {
  READER,
  type ReaderConfig,
  readerConfig,
  type VigilMetricReaderOptions,
} from './vigil-metric-reader-options.js';

/** The gauge whose `collect` runs the bridge on each scrape; it counts the families served. */
export const BRIDGE_GAUGE = 'vigil_otel_bridged_metrics';

// Sums and histograms come as deltas (added to Vigil's cumulative series); gauges and up-down
// sums as cumulative values (set).
const DELTA_TYPES = new Set<InstrumentType>([
  InstrumentType.COUNTER,
  InstrumentType.OBSERVABLE_COUNTER,
  InstrumentType.HISTOGRAM,
]);

/**
 * OpenTelemetry → Vigil: a `MetricReader` that serves the OpenTelemetry SDK's metrics (from
 * `@opentelemetry/instrumentation-http`, `-pg`, …) on a Vigil registry's `/metrics`, so that one
 * endpoint serves both. Add it to the `MeterProvider`'s `readers`; each `registry.metrics()`
 * collects the SDK (through the `collect` callback of a `vigil_otel_bridged_metrics` gauge) and
 * updates Vigil metrics it owns, named as `@opentelemetry/exporter-prometheus` names them.
 */
export class VigilMetricReader extends MetricReader {
  readonly #config: ReaderConfig;
  readonly #report: BackgroundErrorReporter;
  readonly #families = new Map<string, BridgedFamily>();
  readonly #refused = new Set<string>();
  #targetInfo: Gauge<string> | undefined;
  #pending: Promise<void> | undefined;
  #closed = false;

  /**
   * @throws ConfigurationError `INVALID_OPTION` for a bad option, or a registry that already
   * has a `VigilMetricReader`.
   */
  constructor(options: VigilMetricReaderOptions) {
    const config = readerConfig(options);
    super({
      aggregationTemporalitySelector: (type) =>
        DELTA_TYPES.has(type) ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
    });
    this.#config = config;
    this.#report = backgroundErrorReporter(READER, config.onError);
    if (config.registry.get(BRIDGE_GAUGE) !== undefined) {
      throw invalidOption(
        READER,
        `registry already has a ${BRIDGE_GAUGE} metric: one VigilMetricReader per registry; add that one reader to every MeterProvider's readers instead`,
      );
    }
    const driver = config.registry.gauge({
      name: BRIDGE_GAUGE,
      help: 'OpenTelemetry metrics @vigil/otel serves on this registry',
      collect: async (gauge) => {
        await this.sync();
        gauge.set(this.#families.size);
      },
    });
    markBridged(driver);
  }

  /**
   * Collects the SDK once and brings the bridged metrics up to date; concurrent calls share one
   * collection. `registry.metrics()` calls it; call it before `registry.snapshot()` (which does
   * not wait). Never rejects: failures go to `onError`.
   */
  sync(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#pending ??= this.#collectOnce().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  protected override async onForceFlush(): Promise<void> {}

  /** Stops collecting; the bridged metrics keep their last values on the registry. */
  protected override async onShutdown(): Promise<void> {
    this.#closed = true;
  }

  async #collectOnce(): Promise<void> {
    let result: { resourceMetrics: ResourceMetrics; errors: unknown[] };
    try {
      result = await this.collect({ timeoutMillis: this.#config.collectTimeout });
    } catch (error) {
      this.#report(error, 'collect');
      return;
    }
    for (const error of result.errors) this.#report(error, 'collect');
    const { resource, scopeMetrics } = result.resourceMetrics;
    if (this.#config.targetInfo) this.#serveTargetInfo(resource.attributes);
    for (const { scope, metrics } of scopeMetrics) {
      const scopeLabels: Record<string, string> = {};
      if (this.#config.scopeLabels) {
        scopeLabels['otel_scope_name'] = scope.name;
        if (scope.version) scopeLabels['otel_scope_version'] = scope.version;
      }
      for (const metric of metrics) {
        try {
          this.#record(metric, scopeLabels);
        } catch (error) {
          this.#report(error, `metric ${metric.descriptor.name}`);
        }
      }
    }
  }

  #record(metric: MetricData, scopeLabels: Record<string, string>): void {
    const name = prometheusNameOf(metric);
    if (this.#refused.has(name)) return;
    const monotonic = metric.dataPointType === DataPointType.SUM && metric.isMonotonic;
    const kind = familyKindOf(metric.dataPointType, monotonic);
    const bounds =
      metric.dataPointType === DataPointType.HISTOGRAM
        ? (metric.dataPoints[0]?.value.buckets.boundaries ?? [])
        : [];
    if (kind === undefined || (kind === 'histogram' && bounds.length === 0)) {
      this.#refuse(
        name,
        new OtelUnsupportedMetricError(
          metric.descriptor.name,
          `${READER}: OpenTelemetry metric '${metric.descriptor.name}' is ${kind === undefined ? 'an exponential histogram' : 'a histogram without bucket boundaries'}, which the Prometheus text format cannot carry; select explicit bucket boundaries for it with a View (aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries } })`,
        ),
      );
      return;
    }
    if (metric.dataPoints.length === 0 && !this.#families.has(name)) return;
    const definition: FamilyDefinition = {
      name,
      kind,
      help: metric.descriptor.description || 'description missing',
      bounds: [...bounds].filter(Number.isFinite),
    };
    const family = this.#family(definition, metric.descriptor.name);
    // Not an exponential histogram: refused above.
    family?.record(metric.dataPoints as readonly AnyPoint[], scopeLabels);
  }

  #family(definition: FamilyDefinition, otelName: string): BridgedFamily | undefined {
    const { name } = definition;
    const existing = this.#families.get(name);
    if (existing !== undefined) {
      const ours = existing.definition;
      const same =
        ours.kind === definition.kind &&
        ours.bounds.length === definition.bounds.length &&
        ours.bounds.every((bound, i) => bound === definition.bounds[i]);
      if (same) return existing;
      this.#report(
        new OtelMetricConflictError(
          name,
          `${READER}: OpenTelemetry metric '${otelName}' would be served as '${name}', a ${definition.kind}, but another OpenTelemetry metric is served under that name as a ${ours.kind}${ours.kind === 'histogram' ? ' with other buckets' : ''}; rename one of them with a View`,
        ),
        `metric ${name}`,
      );
      return undefined;
    }
    if (this.#config.registry.get(name) !== undefined) {
      this.#refuse(
        name,
        new OtelMetricConflictError(
          name,
          `${READER}: OpenTelemetry metric '${otelName}' would be served as '${name}', which the registry already holds as a Vigil metric; rename one of them (a View's name for the OpenTelemetry one)`,
        ),
      );
      return undefined;
    }
    const family = new BridgedFamily(this.#config.registry, definition);
    this.#families.set(name, family);
    return family;
  }

  #refuse(name: string, error: Error): void {
    this.#refused.add(name);
    this.#report(error, `metric ${name}`);
  }

  #serveTargetInfo(attributes: ResourceMetrics['resource']['attributes']): void {
    if (this.#targetInfo === undefined) {
      if (this.#refused.has('target_info')) return;
      const labels = labelsOf(attributes, false, {});
      try {
        if (this.#config.registry.get('target_info') !== undefined) {
          throw new OtelMetricConflictError(
            'target_info',
            `${READER}: the registry already holds a 'target_info' metric; pass targetInfo: false to serve the resource's attributes some other way`,
          );
        }
        const gauge = this.#config.registry.gauge({
          name: 'target_info',
          help: 'Target metadata',
          labelNames: Object.keys(labels).sort(),
        });
        gauge.set(labels, 1);
        markBridged(gauge);
        this.#targetInfo = gauge;
      } catch (error) {
        this.#refuse('target_info', error as Error);
      }
    }
  }
}
