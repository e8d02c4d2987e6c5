import type { Labels } from './labels.js';

/** One value of an instant vector. */
export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

/**
 * A series' points in a range: `times[i]` (ms) and `values[i]` for `start <= i < end`, stale
 * markers left out. The arrays may be the history's own (no copy per evaluation).
 */
export interface RangeSeries {
  readonly labels: Labels;
  readonly times: readonly number[];
  readonly values: readonly number[];
  readonly start: number;
  readonly end: number;
}

/** What an expression evaluates to at one instant. */
export type Value =
  | { readonly type: 'scalar'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'vector'; readonly samples: readonly Sample[] }
  | { readonly type: 'matrix'; readonly series: readonly RangeSeries[] };

/**
 * What a rule's result is as samples: a vector's, or a scalar as one sample without labels;
 * undefined for a string or a range vector (no rule returns those).
 */
export function samplesOf(value: Value): readonly Sample[] | undefined {
  if (value.type === 'vector') return value.samples;
  if (value.type === 'scalar') return [{ labels: {}, value: value.value }];
  return undefined;
}
