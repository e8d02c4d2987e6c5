import { globalRegistry, Registry, WATCH_CONTENT_TYPE } from './registry.js';
import type { RegistryContentType } from './types.js';

export { AggregatorRegistry } from './aggregator-registry.js';
export { aggregators } from './aggregators.js';
export { exponentialBuckets, linearBuckets } from './buckets.js';
export { Counter, type CounterConfiguration, type CounterInternal } from './counter.js';
export {
  collectDefaultMetrics,
  type DefaultMetricsCollectorConfiguration,
} from './default-metrics.js';
export { Gauge, type GaugeConfiguration, type GaugeInternal } from './gauge.js';
export { Histogram, type HistogramConfiguration, type HistogramInternal } from './histogram.js';
export type { MetricConfiguration } from './metric.js';
export { Pushgateway, type PushgatewayParameters } from './pushgateway.js';
export { type Metric, Registry } from './registry.js';
export { Summary, type SummaryConfiguration, type SummaryInternal } from './summary.js';
export type {
  Aggregator,
  Charset,
  CollectFunction,
  IncreaseDataWithExemplar,
  LabelValues,
  MetricObject,
  MetricObjectWithValues,
  MetricType,
  MetricValue,
  MetricValueWithName,
  ObserveDataWithExemplar,
  OpenMetricsContentType,
  OpenMetricsMIME,
  OpenMetricsVersion,
  PrometheusContentType,
  PrometheusMetricsVersion,
  PrometheusMIME,
  RegistryContentType,
} from './types.js';
export { validateMetricName } from './validation.js';

/** The global registry every metric joins unless given `registers`. */
export const register: Registry = globalRegistry();
export const prometheusContentType = Registry.PROMETHEUS_CONTENT_TYPE;
export const openMetricsContentType = Registry.OPENMETRICS_CONTENT_TYPE;
/**
 * The global registry's content type (prom-client's `contentType` export), kept up to date when
 * `register.setContentType()` changes it. Set it with `register.setContentType()`: an ES module's
 * export cannot be assigned.
 */
export let contentType: RegistryContentType = register.contentType;
register[WATCH_CONTENT_TYPE]((type) => {
  contentType = type;
});
