import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, Histogram as OtelHistogram } from '@opentelemetry/sdk-metrics';
import type {
  CounterSeriesSnapshot,
  GaugeSeriesSnapshot,
  HistogramSeriesSnapshot,
  MetricSnapshot,
} from '@vigil/core';
import type { BucketLayout } from './bucket-layout.js';
import { msOf } from './hr-time.js';
import { labelsOf } from './prometheus-names.js';

/** What a family is on `/metrics`. */
export type FamilyType = 'counter' | 'gauge' | 'histogram';

/** The points of one OpenTelemetry metric that Prometheus' text can carry. */
export type FamilyPoints =
  | {
      readonly type: 'counter' | 'gauge';
      /** Whether the values add up (sums, up-down ones included), unlike a gauge's. */
      readonly additive: boolean;
      readonly points: readonly DataPoint<number>[];
    }
  | {
      readonly type: 'histogram';
      readonly layout: BucketLayout;
      readonly points: readonly DataPoint<OtelHistogram>[];
    };

type Series = CounterSeriesSnapshot | GaugeSeriesSnapshot | HistogramSeriesSnapshot;

/**
 * One family of one collection: the cumulative points of the OpenTelemetry metrics served under
 * its name (one metric, or several of one type and buckets from different scopes), as a Vigil
 * metric snapshot. Its label names are the union of the series' labels; each series keeps its own.
 */
export class OtelFamily {
  readonly name: string;
  readonly type: FamilyType;
  /** The OpenTelemetry name of the first metric served under this name. */
  readonly otelName: string;
  readonly layout: BucketLayout | undefined;
  readonly #help: string;
  readonly #labelNames = new Set<string>();
  readonly #series: Series[] = [];
  /** The series by label set, once a second metric joins (its series may repeat a label set). */
  #byLabels: Map<string, Series> | undefined;
  #metrics = 0;

  constructor(name: string, otelName: string, help: string, first: FamilyPoints) {
    this.name = name;
    this.otelName = otelName;
    this.type = first.type;
    this.layout = first.type === 'histogram' ? first.layout : undefined;
    this.#help = help;
  }

  /** Whether `points` can join this family: the same type, and for histograms the same bounds. */
  accepts(points: FamilyPoints): boolean {
    if (points.type !== this.type) return false;
    return points.type !== 'histogram' || (this.layout as BucketLayout).equals(points.layout);
  }

  /**
   * Adds the series of one metric's `points`, each labelled with its attributes, then
   * `scopeLabels`. A series whose label set another metric of the family has already given (two
   * scopes without scope labels) is added to that series: sums and counts summed, a gauge's last
   * value kept.
   */
  add(points: FamilyPoints, scopeLabels: Readonly<Record<string, string>>): void {
    if (++this.#metrics === 2) {
      this.#byLabels = new Map(this.#series.map((series) => [keyOf(series.labels), series]));
    }
    const histogram = points.type === 'histogram';
    for (const point of points.points) {
      const labels = labelsOf(point.attributes as Attributes, histogram, scopeLabels);
      for (const name in labels) this.#labelNames.add(name);
      const series = seriesOf(points, point, labels);
      if (this.#byLabels !== undefined) {
        const key = keyOf(labels);
        const same = this.#byLabels.get(key);
        if (same !== undefined) {
          addInto(same, series, points.type === 'histogram' || points.additive);
          continue;
        }
        this.#byLabels.set(key, series);
      }
      this.#series.push(series);
    }
  }

  snapshot(): MetricSnapshot {
    const base = { name: this.name, help: this.#help, labelNames: [...this.#labelNames].sort() };
    switch (this.type) {
      case 'counter':
        return { ...base, type: 'counter', series: this.#series as CounterSeriesSnapshot[] };
      case 'gauge':
        return { ...base, type: 'gauge', series: this.#series as GaugeSeriesSnapshot[] };
      case 'histogram':
        return {
          ...base,
          type: 'histogram',
          bounds: [...(this.layout as BucketLayout).bounds],
          series: this.#series as HistogramSeriesSnapshot[],
        };
    }
  }
}

function seriesOf(
  points: FamilyPoints,
  point: DataPoint<number> | DataPoint<OtelHistogram>,
  labels: Record<string, string>,
): Series {
  switch (points.type) {
    case 'counter':
      return { labels, value: point.value as number, created: msOf(point.startTime) };
    case 'gauge':
      return { labels, value: point.value as number };
    case 'histogram': {
      const value = point.value as OtelHistogram;
      return {
        labels,
        counts: points.layout.countsOf(value.buckets.counts),
        // The SDK leaves the sum out for instruments that may record negative values.
        sum: value.sum ?? Number.NaN,
        count: value.count,
        created: msOf(point.startTime),
      };
    }
  }
}

/** An unambiguous key of a label set, whatever the order of its labels. */
function keyOf(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Adds `series` into `into`, a series of the same family and labels (a gauge's replaces it). */
function addInto(into: Series, series: Series, additive: boolean): void {
  if ('counts' in into) {
    const from = series as HistogramSeriesSnapshot;
    from.counts.forEach((count, i) => {
      into.counts[i] = (into.counts[i] ?? 0) + count;
    });
    into.sum += from.sum;
    into.count += from.count;
    into.created = Math.min(into.created, from.created);
  } else if ('created' in into) {
    const from = series as CounterSeriesSnapshot;
    into.value += from.value;
    into.created = Math.min(into.created, from.created);
  } else {
    const { value } = series as GaugeSeriesSnapshot;
    into.value = additive ? into.value + value : value;
  }
}
