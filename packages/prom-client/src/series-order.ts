import { ABSENT } from './label-arguments.js';

/** What the order notes of one series: its place, and its label key order when not `labelNames`'. */
interface Noted {
  readonly rank: number;
  order: readonly string[] | undefined;
  /** The complete core labels of the series, as strings in `labelNames` order. */
  readonly labels: Record<string, string>;
}

type Level = Map<string, Level | Noted>;

/**
 * The order prom-client shows a metric's series in, and each series' label order: it lists series
 * in creation order and writes a series' labels in the key order of the object that created it.
 * Vigil's series index keeps neither, so the facade notes them when a series is created (never on
 * an existing series' recording path) and applies them when it reads the series back. The notes
 * are kept one `Map` level per label name, by label value, so that reading a series back looks up
 * the value strings the core keeps rather than building a key.
 */
export class SeriesOrder {
  readonly #labelNames: readonly string[];
  #root: Level = new Map();
  /** The noted series in creation order. */
  #all = new Set<Noted>();
  /** The rank of the next series noted: ranks grow in creation order. */
  #next = 0;

  constructor(labelNames: readonly string[]) {
    this.#labelNames = labelNames;
  }

  /**
   * Notes the series of `core` (its complete core labels) as created by `given` (the labels
   * object the caller passed). A series noted before keeps its place and takes the new order.
   */
  note(core: Readonly<Record<string, unknown>>, given: Readonly<Record<string, unknown>>): void {
    const names = this.#labelNames;
    let order: string[] | undefined;
    let i = 0;
    for (const key in given) {
      if (given[key] === undefined) continue;
      if (order === undefined && key !== names[i]) order = Object.keys(given).slice(0, i);
      if (order !== undefined) order.push(key);
      i++;
    }
    let level = this.#root;
    const last = names.length - 1;
    for (let n = 0; n < last; n++) {
      const key = keyOf(core[names[n] as string]);
      let next = level.get(key) as Level | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const leaf = last < 0 ? '' : keyOf(core[names[last] as string]);
    const noted = level.get(leaf) as Noted | undefined;
    if (noted !== undefined) noted.order = order;
    else {
      const labels: Record<string, string> = {};
      for (const name of names) labels[name] = keyOf(core[name]);
      const created: Noted = { rank: this.#next++, order, labels };
      level.set(leaf, created);
      this.#all.add(created);
    }
  }

  /** Forgets the series of `core` labels (removed). */
  forget(core: Readonly<Record<string, unknown>>): void {
    const names = this.#labelNames;
    let level: Level | undefined = this.#root;
    const last = names.length - 1;
    for (let n = 0; n < last && level !== undefined; n++) {
      level = level.get(keyOf(core[names[n] as string])) as Level | undefined;
    }
    if (level === undefined) return;
    const leaf = last < 0 ? '' : keyOf(core[names[last] as string]);
    const noted = level.get(leaf) as Noted | undefined;
    if (noted === undefined) return;
    level.delete(leaf);
    this.#all.delete(noted);
  }

  clear(): void {
    this.#root = new Map();
    this.#all = new Set();
  }

  /**
   * The metric's `count` series in creation order, each with its core labels, its `value` (read
   * by label set) and the labels prom-client would show, as `arrange` answers them from a
   * snapshot. Undefined unless the noted series are exactly the metric's (`count` of them, every
   * one of them with a value): the caller then arranges a snapshot.
   */
  read<V>(
    count: number,
    value: (labels: Record<string, string>) => V | undefined,
  ): { labels: Record<string, string>; value: V; shown: Record<string, string> }[] | undefined {
    if (this.#labelNames.length === 0) {
      // The one series of an unlabelled metric shows no labels, noted or not.
      if (count !== 1) return undefined;
      const labels = {};
      const read = value(labels);
      return read === undefined ? undefined : [{ labels, value: read, shown: {} }];
    }
    if (this.#all.size !== count) return undefined;
    const answer: { labels: Record<string, string>; value: V; shown: Record<string, string> }[] =
      [];
    for (const noted of this.#all) {
      const read = value(noted.labels);
      if (read === undefined) return undefined;
      answer.push({ labels: noted.labels, value: read, shown: shown(noted.labels, noted.order) });
    }
    return answer;
  }

  /**
   * `series` (a core snapshot's) in creation order, each with the labels prom-client would show
   * (`shown`: in the noted order, the absent ones left out). Series never noted come last.
   */
  arrange<S extends { labels: Record<string, string> }>(
    series: readonly S[],
  ): { series: S; shown: Record<string, string> }[] {
    const found: (Noted | undefined)[] = [];
    // The common case: the snapshot lists exactly the noted series, in the noted order.
    let inOrder = this.#all.size === series.length;
    let rank = -1;
    for (const entry of series) {
      const noted = this.#find(entry.labels);
      found.push(noted);
      if (noted === undefined || noted.rank <= rank) inOrder = false;
      else rank = noted.rank;
    }
    const arranged: { series: S; shown: Record<string, string> }[] = [];
    if (inOrder) {
      for (let i = 0; i < series.length; i++) {
        const entry = series[i] as S;
        arranged.push({ series: entry, shown: shown(entry.labels, (found[i] as Noted).order) });
      }
      return arranged;
    }
    const ranked: { entry: S; noted: Noted }[] = [];
    const unnoted: S[] = [];
    for (let i = 0; i < series.length; i++) {
      const noted = found[i];
      if (noted === undefined) unnoted.push(series[i] as S);
      else ranked.push({ entry: series[i] as S, noted });
    }
    ranked.sort((a, b) => a.noted.rank - b.noted.rank);
    for (const { entry, noted } of ranked) {
      arranged.push({ series: entry, shown: shown(entry.labels, noted.order) });
    }
    for (const entry of unnoted)
      arranged.push({ series: entry, shown: shown(entry.labels, undefined) });
    return arranged;
  }

  #find(labels: Readonly<Record<string, unknown>>): Noted | undefined {
    const names = this.#labelNames;
    let level: Level | undefined = this.#root;
    const last = names.length - 1;
    for (let n = 0; n < last && level !== undefined; n++) {
      level = level.get(keyOf(labels[names[n] as string])) as Level | undefined;
    }
    if (level === undefined) return undefined;
    return level.get(last < 0 ? '' : keyOf(labels[names[last] as string])) as Noted | undefined;
  }
}

/** A label value as the series index keys it (`String` of it, as the core's series have). */
function keyOf(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

function shown(labels: Readonly<Record<string, string>>, order: readonly string[] | undefined) {
  const result: Record<string, string> = {};
  for (const name of order ?? Object.keys(labels)) {
    const value = labels[name];
    if (value !== undefined && value !== ABSENT) result[name] = value;
  }
  return result;
}
