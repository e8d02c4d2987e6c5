import type { LabelMatcher } from './ast.js';
import type { Labels } from './labels.js';

/**
 * One series a `SeriesSource` selected: its points from `start` (inclusive) to `end`
 * (exclusive) of `times` and `values`, which the source may share between calls. A point whose
 * time is in `stale` is a stale marker: the series ended there.
 */
export interface SelectedSeries {
  readonly labels: Labels;
  readonly times: readonly number[];
  readonly values: readonly number[];
  /** The times of stale markers; undefined when the series has none. */
  readonly stale: ReadonlySet<number> | undefined;
  readonly start: number;
  readonly end: number;
}

/** Where the evaluator reads history: the series matching every matcher, within a time range. */
export interface SeriesSource {
  /** Each series matching `matchers`, with its points at `from <= t <= to` (ms), in time order. */
  select(matchers: readonly LabelMatcher[], from: number, to: number): Iterable<SelectedSeries>;
}
