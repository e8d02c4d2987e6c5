import type { DurationInput, OnError, Registry } from '@vigil/core';
import {
  checkOptionsObject,
  optionalBoolean,
  optionalDuration,
  optionalOnError,
  optionalRegistry,
  required,
} from '@vigil/core/options';

/**
 * Options of `new VigilMetricReader(options)`. Every field but `registry` is optional and also
 * takes `undefined` (the default).
 */
export interface VigilMetricReaderOptions {
  /** The registry whose `/metrics` (`registry.metrics()`) serves the OpenTelemetry metrics. */
  registry: Registry;
  /**
   * Label every series with `otel_scope_name` and `otel_scope_version` (and
   * `otel_scope_schema_url` when the scope has one): the instrumentation that recorded it, as the
   * OpenTelemetry Prometheus exporter does. Default `true`.
   */
  scopeLabels?: boolean | undefined;
  /**
   * Serve the `MeterProvider`'s resource as a `target_info` gauge (value 1, one label per
   * resource attribute), as the OpenTelemetry Prometheus exporter does. Default `true`.
   */
  targetInfo?: boolean | undefined;
  /** How long one collection may wait for the SDK's asynchronous instruments. Default `'10s'`. */
  collectTimeout?: DurationInput | undefined;
  /**
   * Called with what fails in the background, during a scrape: the SDK's collection (operation
   * `collect`), and an OpenTelemetry metric that cannot be served (`OTEL_METRIC_CONFLICT`,
   * `OTEL_UNSUPPORTED_METRIC`, once per metric). Default: a `VigilWarning`
   * (`VIGIL_BACKGROUND_ERROR`) once per kind of failure. A family named like a Vigil metric is
   * the registry's to report: its `onError` gets core's `METRIC_CONFLICT`.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface ReaderConfig {
  readonly registry: Registry;
  readonly scopeLabels: boolean;
  readonly targetInfo: boolean;
  readonly collectTimeout: number;
  readonly onError: OnError | undefined;
}

export const READER = 'VigilMetricReader';
const KEYS = [
  'registry',
  'scopeLabels',
  'targetInfo',
  'collectTimeout',
  'onError',
] as const satisfies readonly (keyof VigilMetricReaderOptions)[];

/**
 * @internal Checks the options once, at construction.
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION` for `collectTimeout`) naming
 * the field, the bad value and what would be right.
 */
export function readerConfig(options: VigilMetricReaderOptions): ReaderConfig {
  const given = checkOptionsObject(READER, options, KEYS, { required: true });
  return {
    registry: required(
      READER,
      'registry',
      optionalRegistry<Registry>(READER, 'registry', given.registry),
      'the Registry whose /metrics serves the OpenTelemetry metrics',
    ),
    scopeLabels: optionalBoolean(READER, 'scopeLabels', given.scopeLabels) ?? true,
    targetInfo: optionalBoolean(READER, 'targetInfo', given.targetInfo) ?? true,
    collectTimeout:
      optionalDuration(READER, 'collectTimeout', given.collectTimeout, { positive: true }) ??
      10_000,
    onError: optionalOnError(READER, 'onError', given.onError),
  };
}
