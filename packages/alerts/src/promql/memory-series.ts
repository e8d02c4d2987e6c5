import type { LabelMatcher } from './ast.js';
import { type CompiledMatcher, compileMatcher } from './label-matchers.js';
import { type Labels, labelsKey, METRIC_NAME } from './labels.js';
import type { SelectedSeries, SeriesSource } from './series-source.js';

interface StoredSeries {
  readonly labels: Labels;
  readonly times: number[];
  /** Numbers only (a stale marker's slot holds NaN), so that V8 keeps them unboxed: 8 bytes each. */
  readonly values: number[];
  /** The times of the series' stale markers, if it has any. */
  stale: Set<number> | undefined;
  /** Dropped by `deleteBefore` (no point left): an append makes the series anew. */
  removed: boolean;
}

/** The series of one metric name, and an index of them by label value, for equality matchers. */
interface NamedSeries {
  readonly all: StoredSeries[];
  readonly byLabel: Map<string, Map<string, StoredSeries[]>>;
}

function indexSeries(named: NamedSeries, series: StoredSeries): void {
  named.all.push(series);
  for (const [name, value] of Object.entries(series.labels)) {
    if (name === METRIC_NAME) continue;
    let values = named.byLabel.get(name);
    if (values === undefined) {
      values = new Map();
      named.byLabel.set(name, values);
    }
    const list = values.get(value);
    if (list === undefined) values.set(value, [series]);
    else list.push(series);
  }
}

function unindexSeries(named: NamedSeries, series: StoredSeries): void {
  const at = named.all.indexOf(series);
  if (at !== -1) named.all.splice(at, 1);
  for (const [name, value] of Object.entries(series.labels)) {
    const list = named.byLabel.get(name)?.get(value);
    if (list === undefined) continue;
    const i = list.indexOf(series);
    if (i !== -1) list.splice(i, 1);
    if (list.length === 0) named.byLabel.get(name)?.delete(value);
  }
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
  readonly #byName = new Map<string, NamedSeries>();
  /** The series of a label set object seen before: appends of a sampler skip the key. */
  readonly #byObject = new WeakMap<Labels, StoredSeries>();

  /** Appends a point; a point not later than the series' last one replaces nothing and is dropped. */
  append(labels: Labels, time: number, value: number | null): void {
    let series = this.#byObject.get(labels);
    if (series === undefined || series.removed) {
      const key = labelsKey(labels);
      series = this.#byKey.get(key);
      if (series === undefined) {
        series = { labels, times: [], values: [], stale: undefined, removed: false };
        this.#byKey.set(key, series);
        const name = labels[METRIC_NAME] ?? '';
        let named = this.#byName.get(name);
        if (named === undefined) {
          named = { all: [], byLabel: new Map() };
          this.#byName.set(name, named);
        }
        indexSeries(named, series);
      }
      this.#byObject.set(labels, series);
    }
    const last = series.times[series.times.length - 1];
    if (last !== undefined && time <= last) return;
    series.times.push(time);
    if (value === null) {
      series.values.push(Number.NaN);
      (series.stale ??= new Set()).add(time);
    } else series.values.push(value);
  }

  /**
   * Ends, with a stale marker at `at`, every series whose latest point is older than `before`
   * (and that has not ended already): for history read from a shared store, where an instance
   * that stopped writing leaves no marker, as Prometheus marks the series of a failed scrape.
   */
  markStale(before: number, at: number): void {
    for (const series of this.#byKey.values()) {
      const last = series.times[series.times.length - 1];
      if (last === undefined || last >= before || last >= at) continue;
      if (series.stale?.has(last) === true) continue;
      series.times.push(at);
      series.values.push(Number.NaN);
      (series.stale ??= new Set()).add(at);
    }
  }

  /** How many series are kept. */
  get size(): number {
    return this.#byKey.size;
  }

  /** Drops the points before `time`, and the series left without any. */
  deleteBefore(time: number): void {
    for (const [key, series] of this.#byKey) {
      const cut = lowerBound(series.times, time);
      if (cut === 0) continue;
      series.times.splice(0, cut);
      series.values.splice(0, cut);
      if (series.stale !== undefined) {
        for (const t of series.stale) if (t < time) series.stale.delete(t);
        if (series.stale.size === 0) series.stale = undefined;
      }
      if (series.times.length === 0) {
        this.#byKey.delete(key);
        series.removed = true;
        const name = series.labels[METRIC_NAME] ?? '';
        const named = this.#byName.get(name);
        if (named !== undefined) {
          unindexSeries(named, series);
          if (named.all.length === 0) this.#byName.delete(name);
        }
      }
    }
  }

  *select(matchers: readonly LabelMatcher[], from: number, to: number): Iterable<SelectedSeries> {
    const named = matchers.find((m) => m.name === METRIC_NAME && m.type === '=');
    let candidates: Iterable<StoredSeries> = this.#byKey.values();
    if (named !== undefined) {
      const series = this.#byName.get(named.value);
      if (series === undefined) return;
      candidates = series.all;
      // The smallest list an equality matcher (on a non-empty value) allows.
      for (const m of matchers) {
        if (m.type !== '=' || m.name === METRIC_NAME || m.value === '') continue;
        const list = series.byLabel.get(m.name)?.get(m.value);
        if (list === undefined) return;
        if (list.length < (candidates as StoredSeries[]).length) candidates = list;
      }
    }
    const compiled = matchers.map(compileMatcher);
    for (const series of candidates) {
      if (!matchesCompiled(series.labels, compiled)) continue;
      const start = lowerBound(series.times, from);
      const end = lowerBound(series.times, to + 1);
      if (start === end) continue;
      yield {
        labels: series.labels,
        times: series.times,
        values: series.values,
        stale: series.stale,
        start,
        end,
      };
    }
  }
}

function matchesCompiled(labels: Labels, matchers: readonly CompiledMatcher[]): boolean {
  for (const matcher of matchers) if (!matcher.test(labels[matcher.name] ?? '')) return false;
  return true;
}
