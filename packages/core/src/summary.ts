import { BoundSeries, type SeriesOwner } from './bound-series.js';
import { type DurationInput, parseDuration } from './duration.js';
import { ConfigurationError } from './errors.js';
import { formatCanonical, formatNumber } from './escape.js';
import { invalidReason } from './invalid-reason.js';
import type { Labels, LabelValue } from './label-values.js';
import { type ExpositionFormat, Metric, type MetricOptions } from './metric.js';
import type { MetricContext } from './metric-context.js';
import { ExponentialSketch } from './sketch/exponential-sketch.js';
import { WindowedSketch } from './sketch/windowed-sketch.js';
import type { SummarySnapshot } from './snapshot.js';
import { stopwatch } from './stopwatch.js';
import { SampleNames, type TextWriter, writeOpen, writeSample } from './text-writer.js';

/** prom-client's default quantiles. */
export const DEFAULT_QUANTILES: readonly number[] = Object.freeze([
  0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999,
]);

/** Options of `registry.summary()`. */
export interface SummaryOptions<L extends string> extends MetricOptions<L> {
  /** Quantiles to report, each in [0, 1]; default 0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999. */
  quantiles?: readonly number[];
  /** Window the quantiles cover, default `'10m'`; `false` for all observations since start. */
  maxAge?: DurationInput | false;
  /** Number of buckets the window slides by, default 5 (one every `maxAge / 5`). */
  ageBuckets?: number;
  /** Relative error bound of every quantile, in (0, 0.5); default 0.01 (1 %). */
  relativeError?: number;
  /** Called before each exposition or snapshot. */
  collect?: (summary: Summary<L>) => void | Promise<void>;
}

type Sketch = WindowedSketch | ExponentialSketch;

interface SummaryStore {
  sketches: Array<Sketch | undefined>;
  /** Per series: all-time sum and count, as Prometheus summaries report them. */
  totals: Float64Array;
}

/** What a summary child needs from its summary. */
interface SummaryOwner extends SeriesOwner {
  rejectObservation(value: unknown): void;
}

/**
 * Quantiles (p50, p99 …) computed in-process over a sliding window, from a mergeable sketch with
 * a guaranteed relative error: merging the sketches of several processes is exact.
 */
export class Summary<L extends string = never> extends Metric<L> implements SummaryOwner {
  readonly type = 'summary';
  readonly quantiles: readonly number[];
  /** Window in ms, or undefined for a windowless summary. */
  readonly maxAge: number | undefined;
  readonly ageBuckets: number;
  readonly scale: number;
  readonly #store: SummaryStore = { sketches: [], totals: new Float64Array(0) };
  readonly #quantileLabels: string[];
  readonly #quantileLabelsOpenMetrics: string[];
  readonly #dropped: SummaryChild;
  readonly #names = new SampleNames(['_sum', '_count', '_created']);
  // One clock for every window of the summary (a closure per series cost ~70 bytes each).
  readonly #now = (): number => this.context.now();
  #scratch: ExponentialSketch | undefined;

  constructor(context: MetricContext, options: SummaryOptions<L>, defaultMaxSeries: number) {
    super(context, options, ['quantile'], defaultMaxSeries);
    this.quantiles = checkQuantiles(options.name, options.quantiles ?? DEFAULT_QUANTILES);
    this.maxAge =
      options.maxAge === false
        ? undefined
        : parseDuration(options.maxAge ?? '10m', `${options.name}: maxAge`);
    if (this.maxAge === 0) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${options.name}: maxAge should be > 0, or false for no window`,
      );
    }
    this.ageBuckets = options.ageBuckets ?? 5;
    if (!Number.isInteger(this.ageBuckets) || this.ageBuckets < 1 || this.ageBuckets > 60) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${options.name}: ageBuckets should be an integer from 1 to 60, got ${String(options.ageBuckets)}`,
      );
    }
    this.scale = ExponentialSketch.scaleForRelativeError(options.relativeError ?? 0.01);
    // Each with the rest of its line up to the value: `quantile="0.5"} `.
    this.#quantileLabels = this.quantiles.map((q) => `quantile="${formatNumber(q)}"} `);
    this.#quantileLabelsOpenMetrics = this.quantiles.map(
      (q) => `quantile="${formatCanonical(q)}"} `,
    );
    this.#dropped = new SummaryChild(this, this.#store, undefined);
    this.init();
  }

  /** Records `value` in the series of `labels`, or in the only series. */
  observe(value: number): void;
  observe(labels: Labels<L>, value: number): void;
  observe(labelsOrValue: Labels<L> | number, value?: number): void {
    const labelled = typeof labelsOrValue === 'object' && labelsOrValue !== null;
    const amount = labelled ? value : labelsOrValue;
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      this.rejectObservation(amount);
      return;
    }
    const id = labelled ? this.idOf(labelsOrValue) : this.soleId();
    if (id >= 0) record(this.#store, id, amount);
  }

  /** Starts a timer; calling the result observes the seconds elapsed and returns them. */
  startTimer(labels?: Labels<L>): (extraLabels?: Partial<Labels<L>>) => number {
    const elapsed = stopwatch();
    return (extraLabels) => {
      const seconds = elapsed();
      if (labels === undefined && extraLabels === undefined) this.observe(seconds);
      else this.observe({ ...labels, ...extraLabels } as Labels<L>, seconds);
      return seconds;
    };
  }

  /**
   * A child bound to one label set, given as an object or as the values in `labelNames` order;
   * the same child is returned for the same label set.
   */
  labels(labels: Labels<L>): SummaryChild;
  labels(...values: LabelValue[]): SummaryChild;
  labels(labels?: unknown, ...rest: unknown[]): SummaryChild {
    return this.bindChild(
      labels,
      (values) => new SummaryChild(this, this.#store, values),
      this.#dropped,
      rest,
    );
  }

  /** The sketch of a series' window (a copy), or undefined when the series does not exist. */
  sketch(labels?: Labels<L>): ExponentialSketch | undefined {
    const id = this.findId(labels);
    return id < 0 ? undefined : this.#windowOf(id);
  }

  /** @internal */
  rejectObservation(value: unknown): void {
    this.context.reportInvalid(
      this.name,
      'INVALID_VALUE',
      invalidReason(value),
      `${this.name}: an observation should be a finite number, got ${String(value)}`,
    );
  }

  protected grow(capacity: number): void {
    const totals = new Float64Array(capacity * 2);
    totals.set(this.#store.totals);
    this.#store.totals = totals;
  }

  protected clearSeries(id: number): void {
    this.#store.totals[id * 2] = 0;
    this.#store.totals[id * 2 + 1] = 0;
    const maxAge = this.maxAge;
    const sketch = this.#store.sketches[id];
    if (sketch !== undefined) sketch.reset();
    else if (maxAge === undefined) this.#store.sketches[id] = new ExponentialSketch(this.scale);
    else {
      this.#store.sketches[id] = new WindowedSketch({
        maxAgeMs: maxAge,
        ageBuckets: this.ageBuckets,
        scale: this.scale,
        now: this.#now,
      });
    }
  }

  #windowOf(id: number): ExponentialSketch {
    const sketch = this.#store.sketches[id] as Sketch;
    return sketch instanceof WindowedSketch ? sketch.merged() : sketch.clone();
  }

  /**
   * The window of series `id`, to read at once (quantiles, `toJSON`): the series' own sketch, or
   * its window merged into one scratch sketch that the next read reuses. A render or snapshot of
   * 10,000 summaries then allocates no sketch per series.
   */
  #readWindow(id: number): ExponentialSketch {
    const sketch = this.#store.sketches[id] as Sketch;
    if (!(sketch instanceof WindowedSketch)) return sketch;
    this.#scratch ??= new ExponentialSketch(this.scale);
    this.#scratch.reset();
    return sketch.mergeInto(this.#scratch);
  }

  /** @internal Writes the samples of series `id`; `labels` is its label pairs, defaults first. */
  renderSeries(
    out: TextWriter,
    format: ExpositionFormat,
    name: string,
    id: number,
    labels: string,
  ): void {
    const window = this.#readWindow(id);
    const quantileLabels =
      format === 'openmetrics' ? this.#quantileLabelsOpenMetrics : this.#quantileLabels;
    for (let i = 0; i < this.quantiles.length; i++) {
      const estimate = window.quantile(this.quantiles[i] as number);
      writeOpen(out, name, labels);
      out.add(quantileLabels[i] as string);
      out.add(formatNumber(estimate));
      out.add('\n');
    }
    const [sumName, countName, createdName] = this.#names.of(name) as string[];
    const totals = this.#store.totals;
    writeSample(out, sumName as string, labels, formatNumber(totals[id * 2] as number));
    writeSample(out, countName as string, labels, formatNumber(totals[id * 2 + 1] as number));
    if (format === 'openmetrics') {
      writeSample(out, createdName as string, labels, formatNumber(this.createdAt(id) / 1000));
    }
  }

  snapshot(defaultLabels: Readonly<Record<string, string>> = {}): SummarySnapshot {
    const series: SummarySnapshot['series'] = [];
    this.forEachSnapshotSeries(defaultLabels, (id, labels) => {
      const window = this.#readWindow(id);
      series.push({
        labels,
        quantiles: this.quantiles.map((q) => window.quantile(q)),
        sum: this.#store.totals[id * 2] as number,
        count: this.#store.totals[id * 2 + 1] as number,
        created: this.createdAt(id),
        sketch: window.toJSON(),
      });
    });
    return { ...this.snapshotBase(), type: 'summary', quantiles: [...this.quantiles], series };
  }
}

/** A summary bound to one label set. */
export class SummaryChild extends BoundSeries {
  readonly #summary: SummaryOwner;
  readonly #store: SummaryStore;

  constructor(summary: SummaryOwner, store: SummaryStore, values: readonly string[] | undefined) {
    super(summary, values);
    this.#summary = summary;
    this.#store = store;
  }

  observe(value: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.#summary.rejectObservation(value);
      return;
    }
    const id = this.id >= 0 ? this.id : this.reattach();
    if (id >= 0) record(this.#store, id, value);
  }

  /** Starts a timer; calling the result observes the seconds elapsed and returns them. */
  startTimer(): () => number {
    const elapsed = stopwatch();
    return () => {
      const seconds = elapsed();
      this.observe(seconds);
      return seconds;
    };
  }
}

function record(store: SummaryStore, id: number, value: number): void {
  (store.sketches[id] as Sketch).add(value);
  (store.totals[id * 2] as number) += value;
  (store.totals[id * 2 + 1] as number) += 1;
}

function checkQuantiles(metric: string, quantiles: readonly number[]): readonly number[] {
  if (!Array.isArray(quantiles) || quantiles.length === 0) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${metric}: quantiles should be a non-empty array of numbers in [0, 1], e.g. [0.5, 0.99]`,
    );
  }
  for (const q of quantiles) {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${metric}: quantiles should be numbers in [0, 1], got ${String(q)}`,
      );
    }
  }
  return Object.freeze([...new Set(quantiles)].sort((a, b) => a - b));
}
