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
  let text = `# HELP ${name} ${escapeString(data.help)}\n# TYPE ${name} ${data.type}`;
  const defaults = Object.keys(defaultLabels).length > 0 ? defaultLabels : undefined;
  const total = openMetrics && data.type === 'counter';
  const values = (data.values ?? []) as ExposedValue[];
  // The flattened shared labels of the previous value: a histogram's values share one object.
  let lastShared: Readonly<Record<string, unknown>> | undefined;
  let lastFlatShared = '';
  for (const value of values) {
    let metricName = value.metricName ?? name;
    let labels: Readonly<Record<string, unknown>> = value.labels ?? EMPTY;
    const shared = value.sharedLabels ?? EMPTY;
    if (total) metricName = `${metricName}_total`;
    if (defaults !== undefined) labels = { ...labels, ...defaults, ...labels };
    let parts = formatLabels(labels, shared);
    if (shared !== lastShared) {
      lastShared = shared;
      lastFlatShared = formatLabels(shared, undefined);
    }
    if (lastFlatShared !== '') parts = parts === '' ? lastFlatShared : `${parts},${lastFlatShared}`;
    let line =
      parts === ''
        ? `${metricName} ${valueAsString(value.value)}`
        : `${metricName}{${parts}} ${valueAsString(value.value)}`;
    const exemplar = value.exemplar;
    if (exemplar && openMetrics) {
      line += ` # {${formatLabels(exemplar.labelSet, undefined)}} ${valueAsString(exemplar.value)} ${exemplar.timestamp}`;
    }
    text += `\n${line}`;
  }
  return text;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** `labels` as `name="value"` pairs joined by commas, leaving out the names `exclude` has. */
function formatLabels(
  labels: Readonly<Record<string, unknown>>,
  exclude: Readonly<Record<string, unknown>> | undefined,
): string {
  let formatted = '';
  const names = Object.keys(labels);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (exclude !== undefined && exclude !== EMPTY && Object.hasOwn(exclude, name)) continue;
    const pair = `${name}="${escapeLabelValue(labels[name])}"`;
    formatted = formatted === '' ? pair : `${formatted},${pair}`;
  }
  return formatted;
}

const NEEDS_ESCAPE = /[\\\n"]/;
const NEEDS_STRING_ESCAPE = /[\\\n]/;

function escapeLabelValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return NEEDS_ESCAPE.test(value) ? escapeString(value).replace(/"/g, '\\"') : value;
}

function escapeString(text: string): string {
  if (typeof text === 'string' && !NEEDS_STRING_ESCAPE.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
