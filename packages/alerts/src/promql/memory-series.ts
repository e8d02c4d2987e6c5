import type { LabelMatcher } from './ast.js';
import { matchesAll } from './label-matchers.js';
import { type Labels, labelsKey, METRIC_NAME } from './labels.js';
import type { SelectedSeries, SeriesSource } from './series-source.js';

interface StoredSeries {
  readonly labels: Labels;
  readonly times: number[];
  readonly values: (number | null)[];
}

/** The first index of `times` at or after `t`. */
function lowerBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Series in memory, indexed by metric name: the evaluator's source for rule tests and for an
 * engine without a store. Points are appended in time order per series; `null` is a stale
 * marker.
 */
export class MemorySeries implements SeriesSource {
  readonly #byKey = new Map<string, StoredSeries>();
  readonly #byName = new Map<string, StoredSeries[]>();

  /** Appends a point; a point not later than the series' last one replaces nothing and is dropped. */
  append(labels: Labels, time: number, value: number | null): void {
    const key = labelsKey(labels);
    let series = this.#byKey.get(key);
    if (series === undefined) {
      series = { labels, times: [], values: [] };
      this.#byKey.set(key, series);
      const name = labels[METRIC_NAME] ?? '';
      const named = this.#byName.get(name);
      if (named === undefined) this.#byName.set(name, [series]);
      else named.push(series);
    }
    const last = series.times[series.times.length - 1];
    if (last !== undefined && time <= last) return;
    series.times.push(time);
    series.values.push(value);
  }

  /** How many series are kept. */
  get size(): number {
    return this.#byKey.size;
  }

  /** The label sets of every series, for a sampler that marks the vanished ones stale. */
  *series(): IterableIterator<{
    readonly labels: Labels;
    readonly last: number | null | undefined;
  }> {
    for (const series of this.#byKey.values()) {
      yield { labels: series.labels, last: series.values[series.values.length - 1] };
    }
  }

  /** Drops the points before `time`, and the series left without any. */
  deleteBefore(time: number): void {
    for (const [key, series] of this.#byKey) {
      const cut = lowerBound(series.times, time);
      if (cut === 0) continue;
      series.times.splice(0, cut);
      series.values.splice(0, cut);
      if (series.times.length === 0) {
        this.#byKey.delete(key);
        const name = series.labels[METRIC_NAME] ?? '';
        const named = this.#byName.get(name) ?? [];
        const left = named.filter((s) => s !== series);
        if (left.length === 0) this.#byName.delete(name);
        else this.#byName.set(name, left);
      }
    }
  }

  *select(matchers: readonly LabelMatcher[], from: number, to: number): Iterable<SelectedSeries> {
    const named = matchers.find((m) => m.name === METRIC_NAME && m.type === '=');
    const candidates =
      named === undefined ? this.#byKey.values() : (this.#byName.get(named.value) ?? []);
    for (const series of candidates) {
      if (!matchesAll(series.labels, matchers)) continue;
      const start = lowerBound(series.times, from);
      const end = lowerBound(series.times, to + 1);
      if (start === end) continue;
      yield { labels: series.labels, times: series.times, values: series.values, start, end };
    }
  }
}
