import type { MetricSnapshot, RegistrySnapshot, SnapshotLabels } from '@vigil/core';
import type { RemoteWriteLabel, RemoteWriteTimeSeries } from './write-request.js';

/** Options of `classicSeries`. */
export interface ClassicSeriesOptions {
  /** The timestamp of every sample, ms since the epoch. Default the snapshot's `timestamp`. */
  timestamp?: number | undefined;
  /**
   * Labels added to every series that does not have a label of that name already (a series' own
   * labels win, as with Prometheus's `external_labels`).
   */
  externalLabels?: Readonly<Record<string, string>> | undefined;
}

/**
 * A registry snapshot as remote write's classic series, one sample each, named and labelled as
 * Vigil's Prometheus text exposition names them: a counter or gauge as one series under its name;
 * a histogram as `<name>_bucket{le}` per bucket (cumulative counts, `le` spelt as in the text
 * format: `0.005`, `1`, `+Inf` last), `<name>_sum` and `<name>_count`; a summary as
 * `<name>{quantile}` per quantile, `<name>_sum` and `<name>_count`. Labels carry `__name__`, are
 * sorted by name (remote write requires it), and labels with an empty value are left out (to
 * Prometheus an empty label is no label).
 */
export function classicSeries(
  snapshot: RegistrySnapshot,
  options: ClassicSeriesOptions = {},
): RemoteWriteTimeSeries[] {
  const timestamp = options.timestamp ?? snapshot.timestamp;
  const external = Object.entries(options.externalLabels ?? {});
  const out: RemoteWriteTimeSeries[] = [];
  const push = (name: string, labels: SnapshotLabels, value: number, extra?: RemoteWriteLabel) => {
    out.push({
      labels: seriesLabels(name, labels, external, extra),
      samples: [{ value: sampleValue(value), timestamp }],
    });
  };
  for (const metric of snapshot.metrics) addMetric(metric, push);
  return out;
}

type Push = (name: string, labels: SnapshotLabels, value: number, extra?: RemoteWriteLabel) => void;

function addMetric(metric: MetricSnapshot, push: Push): void {
  const { name } = metric;
  switch (metric.type) {
    case 'counter':
    case 'gauge':
      for (const series of metric.series) push(name, series.labels, series.value);
      return;
    case 'histogram': {
      const le = [...metric.bounds.map(formatBound), '+Inf'];
      for (const series of metric.series) {
        let cumulative = 0;
        for (let i = 0; i < le.length; i++) {
          cumulative += series.counts[i] ?? 0;
          push(`${name}_bucket`, series.labels, cumulative, { name: 'le', value: le[i] as string });
        }
        push(`${name}_sum`, series.labels, series.sum);
        push(`${name}_count`, series.labels, series.count);
      }
      return;
    }
    case 'summary': {
      const quantiles = metric.quantiles.map(formatBound);
      for (const series of metric.series) {
        for (let i = 0; i < quantiles.length; i++) {
          const value = series.quantiles[i] ?? Number.NaN;
          push(name, series.labels, value, { name: 'quantile', value: quantiles[i] as string });
        }
        push(`${name}_sum`, series.labels, series.sum);
        push(`${name}_count`, series.labels, series.count);
      }
      return;
    }
  }
}

/** A snapshot that went through JSON holds `null` for NaN and ±Infinity: written as NaN. */
function sampleValue(value: number | null): number {
  return typeof value === 'number' ? value : Number.NaN;
}

/** A bound or quantile as the text format spells it (`0.005`, `1`, `+Inf`), so scraped and written series match. */
function formatBound(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

function seriesLabels(
  name: string,
  labels: SnapshotLabels,
  external: readonly (readonly [string, string])[],
  extra: RemoteWriteLabel | undefined,
): RemoteWriteLabel[] {
  const out: RemoteWriteLabel[] = [{ name: '__name__', value: name }];
  for (const key in labels) {
    const value = labels[key];
    if (value !== undefined && value !== '') out.push({ name: key, value });
  }
  for (const [key, value] of external) {
    const own = labels[key];
    if (value === '' || (own !== undefined && own !== '') || key === extra?.name) continue;
    out.push({ name: key, value });
  }
  if (extra !== undefined) out.push(extra);
  // Label names are ASCII, so comparing UTF-16 code units is Prometheus's byte order.
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
