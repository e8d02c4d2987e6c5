import type {
  CounterSnapshot,
  ExponentialSketch,
  HistogramSnapshot,
  MetricSnapshot,
  SketchData,
  SnapshotLabels,
  SummarySnapshot,
} from '@vigil/core';
import { type Accumulator, base, type MismatchReason, unionInto } from './accumulator.js';
import { GaugeAccumulator } from './gauge-accumulator.js';
import type { GaugePolicy } from './gauge-policy.js';
import { takeSketch } from './read-snapshot.js';
import { SeriesTable } from './series-table.js';

/**
 * @internal The accumulator of a metric, seeded with its first worker's snapshot, and the reason
 * that snapshot cannot be merged at all (a `'perWorker'` gauge with the worker label already).
 */
export function accumulatorOf(
  metric: MetricSnapshot,
  worker: string,
  gaugePolicy: GaugePolicy,
  workerLabel: string,
): { accumulator: Accumulator; reason: MismatchReason | undefined } {
  let accumulator: Accumulator;
  switch (metric.type) {
    case 'counter':
      accumulator = new CounterAccumulator(metric);
      break;
    case 'gauge':
      accumulator = new GaugeAccumulator(metric, gaugePolicy, workerLabel);
      break;
    case 'histogram':
      accumulator = new HistogramAccumulator(metric);
      break;
    case 'summary':
      accumulator = new SummaryAccumulator(metric);
      break;
  }
  const reason = accumulator.add(metric, worker);
  return { accumulator, reason };
}

interface Summed {
  labels: SnapshotLabels;
  value: number;
  created: number;
}

class CounterAccumulator implements Accumulator {
  readonly #first: CounterSnapshot;
  readonly #labelNames: string[];
  readonly #series = new SeriesTable<Summed>();

  constructor(first: CounterSnapshot) {
    this.#first = first;
    this.#labelNames = [...first.labelNames];
  }

  add(metric: MetricSnapshot): MismatchReason | undefined {
    if (metric.type !== 'counter') return 'type';
    unionInto(this.#labelNames, metric.labelNames);
    for (const series of metric.series) {
      const found = this.#series.find(series.labels);
      if (found === undefined) {
        this.#series.add({ labels: series.labels, value: series.value, created: series.created });
      } else {
        found.value += series.value;
        if (series.created < found.created) found.created = series.created;
      }
    }
    return undefined;
  }

  result(): CounterSnapshot {
    return {
      ...base(this.#first, this.#labelNames),
      type: 'counter',
      series: this.#series.entries,
    };
  }
}

interface Bucketed {
  labels: SnapshotLabels;
  counts: number[];
  sum: number;
  count: number;
  created: number;
}

class HistogramAccumulator implements Accumulator {
  readonly #first: HistogramSnapshot;
  readonly #labelNames: string[];
  readonly #series = new SeriesTable<Bucketed>();

  constructor(first: HistogramSnapshot) {
    this.#first = first;
    this.#labelNames = [...first.labelNames];
  }

  add(metric: MetricSnapshot): MismatchReason | undefined {
    if (metric.type !== 'histogram') return 'type';
    if (!sameBounds(metric.bounds, this.#first.bounds)) return 'bounds';
    unionInto(this.#labelNames, metric.labelNames);
    for (const series of metric.series) {
      const found = this.#series.find(series.labels);
      if (found === undefined) {
        this.#series.add({
          labels: series.labels,
          counts: series.counts.slice(),
          sum: series.sum,
          count: series.count,
          created: series.created,
        });
        continue;
      }
      const counts = found.counts;
      for (let b = 0; b < counts.length; b++) (counts[b] as number) += series.counts[b] as number;
      found.sum += series.sum;
      found.count += series.count;
      if (series.created < found.created) found.created = series.created;
    }
    return undefined;
  }

  result(): HistogramSnapshot {
    return {
      ...base(this.#first, this.#labelNames),
      type: 'histogram',
      bounds: [...this.#first.bounds],
      series: this.#series.entries,
    };
  }
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Sketched {
  labels: SnapshotLabels;
  sketch: ExponentialSketch;
  sum: number;
  count: number;
  created: number;
}

class SummaryAccumulator implements Accumulator {
  readonly #first: SummarySnapshot;
  readonly #labelNames: string[];
  readonly #series = new SeriesTable<Sketched>();
  /** The scale of the metric's sketches (every series of a metric shares it). */
  #scale: number | undefined;

  constructor(first: SummarySnapshot) {
    this.#first = first;
    this.#labelNames = [...first.labelNames];
  }

  add(metric: MetricSnapshot): MismatchReason | undefined {
    if (metric.type !== 'summary') return 'type';
    // Checked whole before anything is added, so that a mismatch leaves no partial merge.
    const sketches = metric.series.map((series) => takeSketch(series));
    for (const sketch of sketches) {
      this.#scale ??= sketch.scale;
      if (sketch.scale !== this.#scale) return 'scale';
    }
    unionInto(this.#labelNames, metric.labelNames);
    const all = metric.series;
    for (let i = 0; i < all.length; i++) {
      const series = all[i] as SummarySnapshot['series'][number];
      const sketch = sketches[i] as ExponentialSketch;
      const found = this.#series.find(series.labels);
      if (found === undefined) {
        this.#series.add({
          labels: series.labels,
          sketch,
          sum: series.sum,
          count: series.count,
          created: series.created,
        });
        continue;
      }
      found.sketch.merge(sketch);
      found.sum += series.sum;
      found.count += series.count;
      if (series.created < found.created) found.created = series.created;
    }
    return undefined;
  }

  result(): SummarySnapshot {
    const quantiles = [...this.#first.quantiles];
    const series: SummarySnapshot['series'] = [];
    for (const state of this.#series.entries) {
      series.push(
        withLazySketch(
          {
            labels: state.labels,
            // Recomputed from the merged sketch: averaging the workers' quantiles (prom-client)
            // is not a quantile of anything.
            quantiles: quantiles.map((q) => state.sketch.quantile(q)),
            sum: state.sum,
            count: state.count,
            created: state.created,
          },
          state.sketch,
        ),
      );
    }
    return { ...base(this.#first, this.#labelNames), type: 'summary', quantiles, series };
  }
}

/**
 * `series` with its `sketch` as an enumerable property computed on first read (then kept): a
 * scrape renders the quantiles and never reads the merged sketch, whose `toJSON()` cost as much
 * as the rest of the merge. JSON, spreading and structured cloning read it as a plain value.
 */
function withLazySketch(
  series: Omit<SummarySnapshot['series'][number], 'sketch'>,
  sketch: ExponentialSketch,
): SummarySnapshot['series'][number] {
  let data: SketchData | undefined;
  return Object.defineProperty(series, 'sketch', {
    enumerable: true,
    configurable: true,
    get: () => {
      data ??= sketch.toJSON();
      return data;
    },
    set: (value: SketchData) => {
      data = value;
    },
  }) as SummarySnapshot['series'][number];
}
