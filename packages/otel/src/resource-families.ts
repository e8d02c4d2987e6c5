import {
  DataPointType,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import type { MetricSnapshot } from '@vigil/core';
import { BucketLayout } from './bucket-layout.js';
import { OtelMetricConflictError, OtelUnsupportedMetricError } from './errors.js';
import { type FamilyPoints, OtelFamily } from './otel-family.js';
import { labelsOf, prometheusNameOf } from './prometheus-names.js';
import { READER } from './vigil-metric-reader-options.js';

/** How the families are named and labelled. */
export interface FamilyOptions {
  /** The registry's prefix, in front of every OpenTelemetry metric's name (not `target_info`). */
  readonly prefix: string;
  readonly scopeLabels: boolean;
  readonly targetInfo: boolean;
}

/** The families of one collection, and the metrics left out of them. */
export interface ResourceFamilies {
  readonly families: MetricSnapshot[];
  readonly refused: (OtelMetricConflictError | OtelUnsupportedMetricError)[];
}

/**
 * One collection of the SDK (cumulative) as Vigil metric snapshots, named and labelled as
 * `@opentelemetry/exporter-prometheus` does: `target_info` first, then one family per Prometheus
 * name. Metrics of one name from several scopes make one family when they agree on type and
 * buckets; otherwise the later one is refused (`OTEL_METRIC_CONFLICT`). Exponential histograms
 * are refused (`OTEL_UNSUPPORTED_METRIC`). Metrics without data points are left out.
 */
export function resourceFamilies(
  resourceMetrics: ResourceMetrics,
  options: FamilyOptions,
): ResourceFamilies {
  const families = new Map<string, OtelFamily | MetricSnapshot>();
  const refused: ResourceFamilies['refused'] = [];
  if (options.targetInfo) {
    const labels = labelsOf(resourceMetrics.resource.attributes, false, {});
    families.set('target_info', {
      name: 'target_info',
      help: 'Target metadata',
      type: 'gauge',
      labelNames: Object.keys(labels).sort(),
      series: [{ labels, value: 1 }],
    });
  }
  for (const scopeMetrics of resourceMetrics.scopeMetrics) {
    const scopeLabels = options.scopeLabels ? scopeLabelsOf(scopeMetrics.scope) : {};
    for (const metric of scopeMetrics.metrics) {
      const points = familyPointsOf(metric);
      if (points === undefined) {
        refused.push(unsupported(metric));
        continue;
      }
      if (points.points.length === 0) continue;
      const name = options.prefix + prometheusNameOf(metric);
      const family = families.get(name);
      if (family === undefined) {
        const help = metric.descriptor.description || 'description missing';
        const created = new OtelFamily(name, metric.descriptor.name, help, points);
        created.add(points, scopeLabels);
        families.set(name, created);
      } else if (family instanceof OtelFamily && family.accepts(points)) {
        family.add(points, scopeLabels);
      } else {
        refused.push(conflict(name, metric, family, points));
      }
    }
  }
  const snapshots = [...families.values()].map((family) =>
    family instanceof OtelFamily ? family.snapshot() : family,
  );
  return { families: snapshots, refused };
}

/** Scope labels as the Prometheus exporter writes them: name, schema URL, version. */
function scopeLabelsOf(scope: ScopeMetrics['scope']): Record<string, string> {
  const labels: Record<string, string> = { otel_scope_name: scope.name };
  if (scope.schemaUrl) labels['otel_scope_schema_url'] = scope.schemaUrl;
  if (scope.version) labels['otel_scope_version'] = scope.version;
  return labels;
}

/** The points of `metric` as a family takes them, or undefined for an exponential histogram. */
function familyPointsOf(metric: MetricData): FamilyPoints | undefined {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return {
        type: metric.isMonotonic ? 'counter' : 'gauge',
        additive: true,
        points: metric.dataPoints,
      };
    case DataPointType.GAUGE:
      return { type: 'gauge', additive: false, points: metric.dataPoints };
    case DataPointType.HISTOGRAM: {
      const boundaries = metric.dataPoints[0]?.value.buckets.boundaries ?? [];
      return { type: 'histogram', layout: new BucketLayout(boundaries), points: metric.dataPoints };
    }
    default:
      return undefined;
  }
}

function unsupported(metric: MetricData): OtelUnsupportedMetricError {
  const { name } = metric.descriptor;
  return new OtelUnsupportedMetricError(
    name,
    `${READER}: OpenTelemetry metric '${name}' is an exponential histogram, which the Prometheus text format cannot carry; select explicit bucket boundaries for it with a View (aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries } })`,
  );
}

function conflict(
  name: string,
  metric: MetricData,
  family: OtelFamily | MetricSnapshot,
  points: FamilyPoints,
): OtelMetricConflictError {
  const otel = metric.descriptor.name;
  const taker =
    family instanceof OtelFamily
      ? `OpenTelemetry metric '${family.otelName}', a ${family.type}${family.type === points.type ? ' with other buckets' : ''}`
      : 'the resource (target_info)';
  return new OtelMetricConflictError(
    name,
    `${READER}: OpenTelemetry metric '${otel}', a ${points.type}, would be served as '${name}', which ${taker} is served as; rename one of them with a View ({ instrumentName: '${otel}', name: '…' })`,
  );
}
