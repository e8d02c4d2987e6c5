import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type MetricDescriptor,
} from '@opentelemetry/sdk-metrics';
import type { MetricSnapshot, SnapshotLabels, SummarySeriesSnapshot } from '@vigil/core';
import { hrTimeOf } from './hr-time.js';
import { otelUnit } from './otel-unit.js';

/** What every data point of one collection shares. */
export interface PointContext {
  /** The snapshot's time: every point's `endTime`. */
  readonly endTime: HrTime;
  /** Start of the points without a `created` time (gauges): when the producer was made. */
  readonly gaugeStart: HrTime;
  /** Default labels moved to the resource: left off the points of metrics without such a label. */
  readonly moved: readonly string[];
}

/**
 * One Vigil metric as OpenTelemetry metric data, cumulative: a counter as a monotonic sum, a
 * gauge as a gauge, a histogram with its explicit bounds, and a summary as an exponential
 * histogram holding its window's sketch bucket for bucket (the same base-2 layout).
 */
export function metricDataOf(metric: MetricSnapshot, context: PointContext): MetricData {
  const descriptor: MetricDescriptor = {
    name: metric.name,
    description: metric.help,
    unit: otelUnit(metric.unit),
    valueType: ValueType.DOUBLE,
  };
  const { endTime } = context;
  // A metric's own label of a default label's name wins (as in the registry): it stays.
  const omit = new Set(context.moved.filter((name) => !metric.labelNames.includes(name)));
  const attributes = (labels: SnapshotLabels) => attributesOf(labels, omit);
  const cumulative = AggregationTemporality.CUMULATIVE;
  switch (metric.type) {
    case 'counter':
      return {
        descriptor,
        aggregationTemporality: cumulative,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: metric.series.map((series) => ({
          startTime: hrTimeOf(series.created),
          endTime,
          attributes: attributes(series.labels),
          value: series.value,
        })),
      };
    case 'gauge':
      return {
        descriptor,
        aggregationTemporality: cumulative,
        dataPointType: DataPointType.GAUGE,
        dataPoints: metric.series.map((series) => ({
          startTime: context.gaugeStart,
          endTime,
          attributes: attributes(series.labels),
          value: series.value,
        })),
      };
    case 'histogram':
      return {
        descriptor,
        aggregationTemporality: cumulative,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: metric.series.map((series) => ({
          startTime: hrTimeOf(series.created),
          endTime,
          attributes: attributes(series.labels),
          value: {
            buckets: { boundaries: metric.bounds, counts: series.counts },
            sum: series.sum,
            count: series.count,
          },
        })),
      };
    case 'summary':
      return {
        descriptor,
        aggregationTemporality: cumulative,
        dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
        dataPoints: metric.series.map((series) => ({
          startTime: hrTimeOf(series.created),
          endTime,
          attributes: attributes(series.labels),
          value: exponentialHistogramOf(series),
        })),
      };
  }
}

/** The sketch of a summary series, bucket for bucket: scale, offsets and counts unchanged. */
function exponentialHistogramOf(series: SummarySeriesSnapshot) {
  const { sketch } = series;
  const value = {
    count: sketch.count,
    sum: sketch.sum,
    scale: sketch.scale,
    zeroCount: sketch.zeroCount,
    positive: { offset: sketch.positive.offset, bucketCounts: sketch.positive.counts },
    negative: { offset: sketch.negative.offset, bucketCounts: sketch.negative.counts },
  };
  // An empty sketch carries min and max 0 (JSON has no NaN): no min and max then.
  return sketch.count === 0 ? value : { ...value, min: sketch.min, max: sketch.max };
}

function attributesOf(labels: SnapshotLabels, omit: ReadonlySet<string>): Attributes {
  if (omit.size === 0) return labels;
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(labels)) {
    if (!omit.has(name)) attributes[name] = value;
  }
  return attributes;
}
