import {
  AggregationTemporality,
  type CollectionResult,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  MetricConflictError,
  type MetricSnapshot,
} from '@vigil/core';
import { invalidOption } from '@vigil/core/options';
import { CoalescedTask } from './coalesced-task.js';
import type { OtelMetricConflictError, OtelUnsupportedMetricError } from './errors.js';
import { type FamilyOptions, resourceFamilies } from './resource-families.js';
import { type ServedFamilies, serveFamilies } from './served-families.js';
import {
  READER,
  type ReaderConfig,
  readerConfig,
  type VigilMetricReaderOptions,
} from './vigil-metric-reader-options.js';

/** The name of the registry collector a `VigilMetricReader` adds (one per registry). */
const COLLECTOR = 'opentelemetry';

/**
 * OpenTelemetry → Vigil: a `MetricReader` that serves the OpenTelemetry SDK's metrics (from
 * `@opentelemetry/instrumentation-http`, `-pg`, …) on a Vigil registry's `/metrics`, so that one
 * endpoint serves both. Add it to the `MeterProvider`'s `readers`. It is the registry's collector
 * `'opentelemetry'` (`registry.addCollector`): each `registry.metrics()`, `collect()` or
 * `snapshot()` collects the SDK, cumulatively, and answers its metrics as Vigil metric snapshots,
 * named as `@opentelemetry/exporter-prometheus` names them.
 */
export class VigilMetricReader extends MetricReader {
  readonly #config: ReaderConfig;
  readonly #options: FamilyOptions;
  readonly #report: BackgroundErrorReporter;
  readonly #reported = new Set<string>();
  readonly #served: ServedFamilies = { names: new Set() };
  readonly #collection = new CoalescedTask(() => this.#collectOnce());
  #families: readonly MetricSnapshot[] = [];
  #closed = false;

  /**
   * @throws ConfigurationError `INVALID_OPTION` for a bad option, or a registry that already
   * has a `VigilMetricReader`.
   */
  constructor(options: VigilMetricReaderOptions) {
    const config = readerConfig(options);
    const { registry } = config;
    super({
      // Every collection answers the totals: nothing to add up on Vigil's side.
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      // The registry's series limit is the SDK's (past it: `otel_metric_overflow="true"`).
      cardinalitySelector: () => registry.maxSeriesPerMetric,
    });
    this.#config = config;
    this.#options = {
      prefix: registry.prefix,
      scopeLabels: config.scopeLabels,
      targetInfo: config.targetInfo,
    };
    this.#report = backgroundErrorReporter(READER, config.onError);
    try {
      registry.addCollector({ name: COLLECTOR, collect: () => this.#collectShared() });
    } catch (error) {
      if (!(error instanceof MetricConflictError)) throw error;
      throw invalidOption(
        READER,
        `registry already has a '${COLLECTOR}' collector: one VigilMetricReader per registry (a reader belongs to one MeterProvider: keep one MeterProvider for the process)`,
      );
    }
    serveFamilies(registry, this.#served);
  }

  protected override async onForceFlush(): Promise<void> {}

  /** Stops collecting; the registry keeps serving the families of the last collection. */
  protected override async onShutdown(): Promise<void> {
    this.#closed = true;
  }

  // Concurrent scrapes share one collection.
  #collectShared(): Promise<readonly MetricSnapshot[]> {
    if (this.#closed) return Promise.resolve(this.#families);
    return this.#collection.run();
  }

  /** Collects the SDK; a failure goes to `onError` and leaves the previous families. */
  async #collectOnce(): Promise<readonly MetricSnapshot[]> {
    let result: CollectionResult;
    try {
      result = await this.collect({ timeoutMillis: this.#config.collectTimeout });
    } catch (error) {
      this.#report(error, 'collect');
      return this.#families;
    }
    for (const error of result.errors) this.#report(error, 'collect');
    const { families, refused } = resourceFamilies(result.resourceMetrics, this.#options);
    for (const error of refused) this.#reportOnce(error);
    this.#families = families;
    this.#served.names = new Set(families.map((family) => family.name));
    return families;
  }

  /** Reports a refused metric the first time only: it is refused again at every collection. */
  #reportOnce(error: OtelMetricConflictError | OtelUnsupportedMetricError): void {
    const key = `${error.code} ${error.metric}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.#report(error, `metric ${error.metric}`);
  }
}
