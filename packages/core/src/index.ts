export {
  type BackgroundErrorContext,
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  emitVigilWarning,
  type OnError,
  WARNING_CODES,
  type WarningCode,
} from './background-errors.js';
export { DEFAULT_BUCKETS, exponentialBuckets, linearBuckets } from './buckets.js';
export { type Clock, systemClock } from './clock.js';
export type { CounterOptions } from './counter.js';
export { Counter, CounterChild } from './counter.js';
export { type DurationInput, parseDuration } from './duration.js';
export {
  CORE_ERROR_CODES,
  ConfigurationError,
  type CoreErrorCode,
  InvalidObservationError,
  MetricConflictError,
  VigilError,
} from './errors.js';
export type { Exemplar, ExemplarLabels } from './exemplar.js';
export { exposedNames, type NamedMetric } from './exposed-names.js';
export { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from './exposition.js';
export type { GaugeOptions } from './gauge.js';
export { Gauge, GaugeChild } from './gauge.js';
export type { HistogramOptions } from './histogram.js';
export { Histogram, HistogramChild } from './histogram.js';
export type { Labels, LabelValue } from './label-values.js';
export type { ExpositionFormat, MetricOptions, MetricType } from './metric.js';
export type { InvalidReason } from './metric-context.js';
export type { InvalidObservationEvent, OnInvalid, OverflowEvent } from './observation-reporter.js';
export {
  collectDefaultMetrics,
  type DefaultMetrics,
  type DefaultMetricsOptions,
} from './process-metrics/collect-default-metrics.js';
export { type AnyMetric, Registry, type RegistryEvents } from './registry.js';
export type { RegistryOptions } from './registry-options.js';
export {
  DEFAULT_SKETCH_SCALE,
  ExponentialSketch,
  type SketchData,
} from './sketch/exponential-sketch.js';
export { WindowedSketch, type WindowedSketchOptions } from './sketch/windowed-sketch.js';
export {
  type CounterSeriesSnapshot,
  type CounterSnapshot,
  type GaugeSeriesSnapshot,
  type GaugeSnapshot,
  type HistogramSeriesSnapshot,
  type HistogramSnapshot,
  type MetricSnapshot,
  type RegistrySnapshot,
  SNAPSHOT_VERSION,
  type SnapshotLabels,
  type SummarySeriesSnapshot,
  type SummarySnapshot,
} from './snapshot.js';
export type { SnapshotCollector } from './snapshot-collector.js';
export { renderSnapshot } from './snapshot-exposition.js';
export type { SummaryOptions } from './summary.js';
export { DEFAULT_QUANTILES, Summary, SummaryChild } from './summary.js';
export { systemTimers, type TimerHandle, type Timers } from './timer-provider.js';
