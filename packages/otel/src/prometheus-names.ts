import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';

/*
 * Names as `@opentelemetry/exporter-prometheus` (0.217) writes them, so that dashboards built on
 * that exporter work unchanged: characters outside [a-zA-Z0-9_] become `_`, runs of `_` become
 * one, and a monotonic sum gets `_total`. That exporter adds no unit suffix; neither does this.
 */

const INVALID = /[^a-z0-9_]/gi;
const UNDERSCORES = /_{2,}/g;

/** An OpenTelemetry metric or attribute name with Prometheus' characters only. */
export function sanitizeName(name: string): string {
  return name.replace(INVALID, '_').replace(UNDERSCORES, '_');
}

/** The Prometheus name of an OpenTelemetry metric, as the Prometheus exporter names it. */
export function prometheusNameOf(metric: MetricData): string {
  const name = sanitizeName(metric.descriptor.name);
  const counter = metric.dataPointType === DataPointType.SUM && metric.isMonotonic;
  return counter && !name.endsWith('_total') ? `${name}_total` : name;
}

/**
 * The label name of an attribute: sanitised, with `_` in front of a leading digit, and `le`
 * (which a histogram's buckets use) as `exported_le`, as Prometheus renames a clashing label.
 */
export function labelNameOf(key: string, histogram: boolean): string {
  const name = sanitizeName(key);
  if (/^[0-9]/.test(name)) return `_${name}`;
  return histogram && name === 'le' ? 'exported_le' : name;
}

/** A label value: a string as it is, anything else as JSON (as the Prometheus exporter does). */
export function labelValueOf(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Attributes as labels (names sanitised), plus `extra` labels. */
export function labelsOf(
  attributes: Attributes,
  histogram: boolean,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const name = labelNameOf(key, histogram);
    if (name !== '' && name !== '_') labels[name] = labelValueOf(value);
  }
  return Object.assign(labels, extra);
}
