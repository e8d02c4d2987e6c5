/** One observation of one series. */
export interface SeriesPoint {
  /** Metric name, e.g. `http_requests_total`. */
  readonly metric: string;
  /** The series' labels; their order does not matter. */
  readonly labels: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** A finite number. */
  readonly value: number;
}

/** How the points inside one step of a range query become one value. */
export type Aggregation = 'avg' | 'min' | 'max' | 'last' | 'sum';

/**
 * A condition on one label: a string matches exactly, a RegExp matches the whole value
 * (anchored), `{ not }` negates either. A label the series lacks has the value `''`, as in
 * Prometheus.
 */
export type LabelMatcher = string | RegExp | { readonly not: string | RegExp };

/** A range query with step downsampling. */
export interface RangeQuery {
  readonly metric: string;
  /** Every matcher must hold; default: every series of the metric. */
  readonly labels?: Readonly<Record<string, LabelMatcher>>;
  /** Inclusive start, ms since the epoch. */
  readonly from: number;
  /** Exclusive end, ms since the epoch. */
  readonly to: number;
  /**
   * Width of one output point in ms (> 0). Buckets are aligned to multiples of `step` since the
   * epoch: a point at `t` falls in the bucket starting at `t - t % step`.
   */
  readonly step: number;
  /** Default `'avg'`. */
  readonly aggregation?: Aggregation;
}

/** One series of a range query's answer. */
export interface SeriesResult {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** One entry per non-empty bucket, in increasing time: `[bucket start ms, value]`. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/**
 * Stores series points. Points older than the retention are removed by a background sweep that
 * never throws into the host. Rollups at 1-minute and 1-hour resolution (count, sum, min, max,
 * last) are kept alongside the raw points, so that a query whose `step` is a multiple of 60 s (or
 * 1 h) reads the rollup instead of every raw point; the answer is the same either way.
 */
export interface TimeSeriesStore {
  /**
   * Appends points in one batch (one transaction where the backend has them). The whole batch is
   * checked first: one bad point refuses it with `STORE_INVALID_ARGUMENT` and writes nothing.
   */
  append(points: readonly SeriesPoint[]): Promise<void>;
  /**
   * Series of `query.metric` matching `query.labels`, downsampled to `query.step`, in no
   * particular order. Series without a point in `[from, to)` are left out.
   */
  query(query: RangeQuery): Promise<SeriesResult[]>;
  /** Removes raw points and rollups older than `timestamp`; returns how many raw points went. */
  deleteBefore(timestamp: number): Promise<number>;
}

/** Rollup resolutions every time-series store keeps, in ms. */
export const ROLLUP_RESOLUTIONS = [60_000, 3_600_000] as const;
