export {
  OTEL_ERROR_CODES,
  type OtelErrorCode,
  OtelMetricConflictError,
  OtelUnsupportedMetricError,
} from './errors.js';
export { RESOURCE_ATTRIBUTE_NAMES, resourceAttributesOf } from './resource-attributes.js';
export { type TraceExemplarLabels, traceExemplar } from './trace-exemplar.js';
export { VigilMetricProducer } from './vigil-metric-producer.js';
export type {
  DefaultLabelsPlacement,
  VigilMetricProducerOptions,
} from './vigil-metric-producer-options.js';
export { VigilMetricReader } from './vigil-metric-reader.js';
export type { VigilMetricReaderOptions } from './vigil-metric-reader-options.js';
