import type { MetricSnapshot, RegistrySnapshot } from '@vigil/core';
import protobuf from 'protobufjs/light.js';

/** Content type of the delimited protobuf exposition format (`io.prometheus.client`). */
export const PROTOBUF_CONTENT_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

// The messages of prometheus/client_model's metrics.proto (Apache-2.0) that a push needs, as a
// protobufjs JSON descriptor: field numbers as in the original.
const DESCRIPTOR = {
  nested: {
    LabelPair: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    Gauge: { fields: { value: { type: 'double', id: 1 } } },
    Counter: { fields: { value: { type: 'double', id: 1 } } },
    Quantile: { fields: { quantile: { type: 'double', id: 1 }, value: { type: 'double', id: 2 } } },
    Summary: {
      fields: {
        sampleCount: { type: 'uint64', id: 1 },
        sampleSum: { type: 'double', id: 2 },
        quantile: { rule: 'repeated', type: 'Quantile', id: 3 },
      },
    },
    Bucket: {
      fields: { cumulativeCount: { type: 'uint64', id: 1 }, upperBound: { type: 'double', id: 2 } },
    },
    Histogram: {
      fields: {
        sampleCount: { type: 'uint64', id: 1 },
        sampleSum: { type: 'double', id: 2 },
        bucket: { rule: 'repeated', type: 'Bucket', id: 3 },
      },
    },
    Metric: {
      fields: {
        label: { rule: 'repeated', type: 'LabelPair', id: 1 },
        gauge: { type: 'Gauge', id: 2 },
        counter: { type: 'Counter', id: 3 },
        summary: { type: 'Summary', id: 4 },
        histogram: { type: 'Histogram', id: 7 },
      },
    },
    MetricFamily: {
      fields: {
        name: { type: 'string', id: 1 },
        help: { type: 'string', id: 2 },
        type: { type: 'int32', id: 3 },
        metric: { rule: 'repeated', type: 'Metric', id: 4 },
      },
    },
  },
};

// metrics.proto's MetricType enum.
const TYPE_NUMBER = { counter: 0, gauge: 1, summary: 2, histogram: 4 } as const;

let metricFamily: protobuf.Type | undefined;

/** The `MetricFamily` message type, built on first use. */
export function metricFamilyType(): protobuf.Type {
  metricFamily ??= protobuf.Root.fromJSON(DESCRIPTOR).lookupType('MetricFamily');
  return metricFamily;
}

/**
 * `snapshot` in the delimited protobuf exposition format: each metric family as a
 * `io.prometheus.client.MetricFamily`, prefixed by its length. A histogram's `+Inf` bucket is
 * implied by its count, as Prometheus's own clients leave it out.
 */
export function encodeMetricFamilies(snapshot: RegistrySnapshot): Uint8Array {
  const type = metricFamilyType();
  const writer = protobuf.Writer.create();
  for (const metric of snapshot.metrics) {
    if (metric.series.length === 0) continue;
    type.encodeDelimited(familyMessage(metric), writer);
  }
  return writer.finish();
}

function familyMessage(metric: MetricSnapshot): Record<string, unknown> {
  return {
    name: metric.name,
    help: metric.help,
    type: TYPE_NUMBER[metric.type],
    metric: seriesMessages(metric),
  };
}

function seriesMessages(metric: MetricSnapshot): Record<string, unknown>[] {
  const label = (labels: Record<string, string>) =>
    Object.entries(labels).map(([name, value]) => ({ name, value }));
  switch (metric.type) {
    case 'counter':
      return metric.series.map((s) => ({ label: label(s.labels), counter: { value: s.value } }));
    case 'gauge':
      return metric.series.map((s) => ({ label: label(s.labels), gauge: { value: s.value } }));
    case 'histogram':
      return metric.series.map((s) => {
        let cumulative = 0;
        const bucket = metric.bounds.map((upperBound, i) => {
          cumulative += s.counts[i] as number;
          return { cumulativeCount: cumulative, upperBound };
        });
        return {
          label: label(s.labels),
          histogram: { sampleCount: s.count, sampleSum: s.sum, bucket },
        };
      });
    case 'summary':
      return metric.series.map((s) => ({
        label: label(s.labels),
        summary: {
          sampleCount: s.count,
          sampleSum: s.sum,
          quantile: metric.quantiles.map((quantile, i) => ({ quantile, value: s.quantiles[i] })),
        },
      }));
  }
}
