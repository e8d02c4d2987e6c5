import { formatCanonical, formatNumber, labelPair } from './escape.js';
import { type Exemplar, renderExemplar } from './exemplar.js';
import { familyName } from './exposition.js';
import { type ExpositionFormat, Metric } from './metric.js';
import { ExponentialSketch } from './sketch/exponential-sketch.js';
import type {
  CounterSnapshot,
  GaugeSnapshot,
  HistogramSnapshot,
  MetricSnapshot,
  RegistrySnapshot,
  SnapshotLabels,
  SummarySeriesSnapshot,
  SummarySnapshot,
} from './snapshot.js';
import { TextWriter, writeSample } from './text-writer.js';

/**
 * Renders a snapshot in the Prometheus text format 0.0.4 (default) or OpenMetrics 1.0: for a
 * registry's own `registry.snapshot()`, exactly what `registry.metrics()` renders for the same
 * data, byte for byte. Made for snapshots that no registry holds: merged cluster snapshots,
 * snapshots read back from storage.
 *
 * - Labels are rendered in the order of each series' `labels` object (a snapshot lists default
 *   labels first, then the metric's own, as exposition does).
 * - A summary's quantiles are its series' `quantiles`, computed from the same window's sketch
 *   when the snapshot was taken (or, for a merged snapshot, from the merged sketch); only a series
 *   without them (fewer than the metric's `quantiles`) has them computed from `sketch`.
 * - A gauge value of `null` (what JSON makes of NaN and ±Infinity) is rendered as `NaN`.
 * - OpenMetrics output has the exemplars of counter series (`exemplar`) and histogram buckets
 *   (`exemplars`), as exposition renders them; the Prometheus format has none.
 *
 * Synchronous: unlike `registry.metrics()` it never yields to the event loop.
 *
 * @throws VigilError `INVALID_VALUE` when a summary series without quantiles has a malformed sketch.
 */
export function renderSnapshot(
  snapshot: RegistrySnapshot,
  format: ExpositionFormat = 'prometheus',
): string {
  const text = renderMetricSnapshots(snapshot.metrics, format);
  return format === 'openmetrics' ? `${text}# EOF\n` : text;
}

/** @internal The families of `metrics` as `renderSnapshot` renders them, without `# EOF`. */
export function renderMetricSnapshots(
  metrics: readonly MetricSnapshot[],
  format: ExpositionFormat,
): string {
  const out = new TextWriter();
  const labelText = labelTexts();
  for (const metric of metrics) {
    const name = familyName(metric as unknown as Metric<string>, format);
    // `renderHeader` reads only `help`, `type` and `unit`, which a metric snapshot carries.
    out.add(Metric.prototype.renderHeader.call(metric as unknown as Metric<string>, format, name));
    switch (metric.type) {
      case 'counter':
        renderCounter(out, metric, format, name, labelText);
        break;
      case 'gauge':
        renderGauge(out, metric, name, labelText);
        break;
      case 'histogram':
        renderHistogram(out, metric, format, name, labelText);
        break;
      case 'summary':
        renderSummary(out, metric, format, name, labelText);
        break;
    }
  }
  return out.text();
}

type LabelText = (labels: SnapshotLabels) => string;

/** Pairs remembered per label name: enough for the values a label repeats (method, status). */
const PAIRS_PER_LABEL = 1024;

/**
 * The label pairs of a series, in the order of its labels object. One per render: remembers the
 * pairs it made, by name and value, as exposition's `labelPairs` does.
 */
function labelTexts(): (labels: SnapshotLabels) => string {
  const memos = new Map<string, Map<string, string>>();
  return (labels) => {
    let text = '';
    for (const name in labels) {
      const value = labels[name] as string;
      let memo = memos.get(name);
      if (memo === undefined) {
        memo = new Map();
        memos.set(name, memo);
      }
      let pair = memo.get(value);
      if (pair === undefined) {
        pair = labelPair(name, value);
        if (memo.size < PAIRS_PER_LABEL) memo.set(value, pair);
      }
      text = text === '' ? pair : `${text},${pair}`;
    }
    return text;
  };
}

/** ` # {labels} value timestamp`, or '' for no exemplar (or a malformed one read back). */
function exemplarText(exemplar: Exemplar | null | undefined): string {
  if (typeof exemplar !== 'object' || exemplar === null) return '';
  if (typeof exemplar.labels !== 'object' || exemplar.labels === null) return '';
  return renderExemplar(exemplar);
}

function createdValue(created: number): string {
  return formatNumber(created / 1000);
}

function renderCounter(
  out: TextWriter,
  metric: CounterSnapshot,
  format: ExpositionFormat,
  name: string,
  labelText: LabelText,
): void {
  const total = `${name}_total`;
  const createdName = `${name}_created`;
  for (const series of metric.series) {
    const labels = labelText(series.labels);
    const value = formatNumber(series.value);
    if (format === 'prometheus') {
      writeSample(out, name, labels, value);
    } else {
      writeSample(out, total, labels, value + exemplarText(series.exemplar));
      writeSample(out, createdName, labels, createdValue(series.created));
    }
  }
}

function renderGauge(
  out: TextWriter,
  metric: GaugeSnapshot,
  name: string,
  labelText: LabelText,
): void {
  // JSON turns NaN and ±Infinity into null: typed `number`, such a snapshot may hold null.
  for (const series of metric.series as ReadonlyArray<{
    labels: SnapshotLabels;
    value: number | null;
  }>) {
    writeSample(out, name, labelText(series.labels), formatNumber(series.value ?? Number.NaN));
  }
}

function renderHistogram(
  out: TextWriter,
  metric: HistogramSnapshot,
  format: ExpositionFormat,
  name: string,
  labelText: LabelText,
): void {
  const openMetrics = format === 'openmetrics';
  const spell = openMetrics ? formatCanonical : formatNumber;
  const le = metric.bounds.map((bound) => `le="${spell(bound)}"} `);
  le.push('le="+Inf"} ');
  const bucketName = `${name}_bucket`;
  const sumName = `${name}_sum`;
  const countName = `${name}_count`;
  const createdName = `${name}_created`;
  for (const series of metric.series) {
    const labels = labelText(series.labels);
    // `name_bucket{labels,` once per series: what `writeOpen` writes before each `le`.
    const open = labels === '' ? `${bucketName}{` : `${bucketName}{${labels},`;
    const exemplars = openMetrics && Array.isArray(series.exemplars) ? series.exemplars : [];
    let cumulative = 0;
    for (let bucket = 0; bucket < le.length; bucket++) {
      cumulative += series.counts[bucket] ?? 0;
      const exemplar = exemplarText(exemplars[bucket]);
      out.add(`${open}${le[bucket] as string}${cumulative}${exemplar}\n`);
    }
    writeSample(out, sumName, labels, formatNumber(series.sum));
    writeSample(out, countName, labels, String(cumulative));
    if (openMetrics) writeSample(out, createdName, labels, createdValue(series.created));
  }
}

function renderSummary(
  out: TextWriter,
  metric: SummarySnapshot,
  format: ExpositionFormat,
  name: string,
  labelText: LabelText,
): void {
  const openMetrics = format === 'openmetrics';
  const spell = openMetrics ? formatCanonical : formatNumber;
  const quantileLabels = metric.quantiles.map((q) => `quantile="${spell(q)}"} `);
  const sumName = `${name}_sum`;
  const countName = `${name}_count`;
  const createdName = `${name}_created`;
  for (const series of metric.series) {
    const labels = labelText(series.labels);
    const estimates = quantilesOf(series, metric.quantiles);
    const open = labels === '' ? `${name}{` : `${name}{${labels},`;
    for (let i = 0; i < quantileLabels.length; i++) {
      out.add(`${open}${quantileLabels[i] as string}${formatNumber(estimates[i] ?? Number.NaN)}\n`);
    }
    writeSample(out, sumName, labels, formatNumber(series.sum));
    writeSample(out, countName, labels, formatNumber(series.count));
    if (openMetrics) writeSample(out, createdName, labels, createdValue(series.created));
  }
}

/**
 * The series' own estimates, or, for a series without them, the sketch's. An entry may be `null`:
 * JSON's spelling of the NaN of an empty window.
 */
function quantilesOf(
  series: SummarySeriesSnapshot,
  quantiles: readonly number[],
): ReadonlyArray<number | null> {
  const own = series.quantiles;
  if (Array.isArray(own) && own.length >= quantiles.length) return own;
  const sketch = ExponentialSketch.fromJSON(series.sketch);
  return quantiles.map((q) => sketch.quantile(q));
}
