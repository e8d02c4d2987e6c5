import type { ExposedValue, MetricLike } from './types.js';

/** Prometheus and OpenMetrics content types, as prom-client spells them. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8' as const;
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8' as const;

/** A sample value as prom-client writes it: `Nan`, `+Inf`, `-Inf`, or the number. */
export function valueAsString(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/**
 * One metric in the text format, exactly as prom-client's `getMetricsAsString` writes it: the
 * series' own labels, then the registry's default labels, then the shared (metric) labels of
 * histogram buckets, so that `le` comes first as in prom-client.
 */
export async function metricAsString(
  metric: MetricLike,
  defaultLabels: Readonly<Record<string, unknown>>,
  openMetrics: boolean,
): Promise<string> {
  const data =
    typeof metric.getForPromString === 'function'
      ? await metric.getForPromString()
      : await metric.get();
  const name = escapeString(data.name);
  const lines = [`# HELP ${name} ${escapeString(data.help)}`, `# TYPE ${name} ${data.type}`];
  const defaults = Object.keys(defaultLabels).length > 0 ? defaultLabels : undefined;
  for (const value of (data.values ?? []) as ExposedValue[]) {
    let metricName = value.metricName ?? name;
    let labels: Record<string, unknown> = value.labels ?? {};
    const shared = value.sharedLabels ?? {};
    if (openMetrics && data.type === 'counter') metricName = `${metricName}_total`;
    if (defaults !== undefined) labels = { ...labels, ...defaults, ...labels };
    const parts = formatLabels(labels, shared);
    const flatShared = formatLabels(shared).join(',');
    if (flatShared !== '') parts.push(flatShared);
    let line = `${metricName}${parts.length > 0 ? `{${parts.join(',')}}` : ''} ${valueAsString(value.value)}`;
    const exemplar = value.exemplar;
    if (exemplar && openMetrics) {
      line += ` # {${formatLabels(exemplar.labelSet).join(',')}} ${valueAsString(exemplar.value)} ${exemplar.timestamp}`;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function formatLabels(
  labels: Readonly<Record<string, unknown>>,
  exclude?: Readonly<Record<string, unknown>>,
): string[] {
  const formatted: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (exclude === undefined || !Object.hasOwn(exclude, name)) {
      formatted.push(`${name}="${escapeLabelValue(value)}"`);
    }
  }
  return formatted;
}

function escapeLabelValue(value: unknown): unknown {
  return typeof value === 'string' ? escapeString(value).replace(/"/g, '\\"') : value;
}

function escapeString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
