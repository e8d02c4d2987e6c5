import type { Exemplar } from './exemplar.js';
import type { SketchData } from './sketch/exponential-sketch.js';

/**
 * Version of the snapshot model; bumped on any incompatible change. Optional fields added later
 * (`exemplar`, `exemplars`) are compatible: a reader that does not know them ignores them.
 */
export const SNAPSHOT_VERSION = 1;

/** Everything a registry holds, as plain JSON. */
export interface RegistrySnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** When the snapshot was taken, ms since the epoch. */
  timestamp: number;
  metrics: MetricSnapshot[];
}

interface MetricSnapshotBase {
  name: string;
  help: string;
  unit?: string;
  labelNames: string[];
}

/** Labels of one series, default labels included. */
export type SnapshotLabels = Record<string, string>;

export interface CounterSeriesSnapshot {
  labels: SnapshotLabels;
  value: number;
  /** When the series was created or last reset, ms since the epoch. */
  created: number;
  /** The latest exemplar (`counter.inc(labels, value, exemplar)`); absent when there is none. */
  exemplar?: Exemplar;
}

export interface GaugeSeriesSnapshot {
  labels: SnapshotLabels;
  /** The gauge's value; `NaN` and ±Infinity become `null` in JSON. */
  value: number;
}

export interface HistogramSeriesSnapshot {
  labels: SnapshotLabels;
  /** Observations per bucket (not cumulative); the last entry is the `+Inf` bucket. */
  counts: number[];
  sum: number;
  count: number;
  created: number;
  /**
   * The latest exemplar of each bucket, in the order of `counts` (`null` for a bucket without
   * one); absent when no bucket of the series has one.
   */
  exemplars?: (Exemplar | null)[];
}

export interface SummarySeriesSnapshot {
  labels: SnapshotLabels;
  /** Quantile estimates over the window, in the order of the metric's `quantiles`. */
  quantiles: number[];
  /** All-time sum and count, as Prometheus summaries report them. */
  sum: number;
  count: number;
  created: number;
  /** The window's sketch, so that snapshots of several processes merge exactly. */
  sketch: SketchData;
}

export interface CounterSnapshot extends MetricSnapshotBase {
  type: 'counter';
  series: CounterSeriesSnapshot[];
}

export interface GaugeSnapshot extends MetricSnapshotBase {
  type: 'gauge';
  series: GaugeSeriesSnapshot[];
}

export interface HistogramSnapshot extends MetricSnapshotBase {
  type: 'histogram';
  /** Upper bounds of the finite buckets, ascending. */
  bounds: number[];
  series: HistogramSeriesSnapshot[];
}

export interface SummarySnapshot extends MetricSnapshotBase {
  type: 'summary';
  quantiles: number[];
  series: SummarySeriesSnapshot[];
}

export type MetricSnapshot = CounterSnapshot | GaugeSnapshot | HistogramSnapshot | SummarySnapshot;
export type SeriesSnapshot =
  | CounterSeriesSnapshot
  | GaugeSeriesSnapshot
  | HistogramSeriesSnapshot
  | SummarySeriesSnapshot;
