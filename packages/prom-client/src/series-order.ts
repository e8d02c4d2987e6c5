import { ABSENT, seriesKey } from './label-arguments.js';

/**
 * The order prom-client shows a metric's series in, and each series' label order: it lists series
 * in creation order and writes a series' labels in the key order of the object that created it.
 * Vigil's series index keeps neither, so the facade notes them when a series is created (never on
 * an existing series' recording path) and applies them when it reads the series back.
 */
export class SeriesOrder {
  readonly #labelNames: readonly string[];
  /** Series keys in creation order, with their label key order when it is not `labelNames`'. */
  #series = new Map<string, readonly string[] | undefined>();

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
    this.#series.set(seriesKey(names, core), order);
  }

  /** Forgets the series of `core` labels (removed). */
  forget(core: Readonly<Record<string, unknown>>): void {
    this.#series.delete(seriesKey(this.#labelNames, core));
  }

  clear(): void {
    this.#series = new Map();
  }

  /**
   * `series` (a core snapshot's) in creation order, each with the labels prom-client would show
   * (`shown`: in the noted order, the absent ones left out). Series never noted come last.
   */
  arrange<S extends { labels: Record<string, string> }>(
    series: readonly S[],
  ): { series: S; shown: Record<string, string> }[] {
    const rank = new Map<string, number>();
    let next = 0;
    for (const key of this.#series.keys()) rank.set(key, next++);
    const names = this.#labelNames;
    const keyed = series.map((entry, index) => {
      const key = seriesKey(names, entry.labels);
      const order = this.#series.get(key);
      return {
        series: entry,
        shown: shown(entry.labels, order),
        at: rank.get(key) ?? next + index,
      };
    });
    keyed.sort((a, b) => a.at - b.at);
    return keyed.map(({ series, shown }) => ({ series, shown }));
  }
}

function shown(labels: Readonly<Record<string, string>>, order: readonly string[] | undefined) {
  const result: Record<string, string> = {};
  for (const name of order ?? Object.keys(labels)) {
    const value = labels[name];
    if (value !== undefined && value !== ABSENT) result[name] = value;
  }
  return result;
}
