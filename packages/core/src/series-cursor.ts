import { labelPairs } from './escape.js';
import type { SeriesIndex } from './series-index.js';
import { flatEntries, type IndexChild, type IndexNode } from './series-index-node.js';

/** The labels of the series that holds every label set past a metric's `maxSeries`. */
const OVERFLOW_LABELS = 'vigil_overflow="true"';

/**
 * Walks a `SeriesIndex` series by series, giving each series' id and label text (the fragments of
 * its values joined with `,`, after `prefix`). The text of an upper level is built once and
 * shared by every series under it, so a series costs one concatenation (plus its own fragment).
 *
 * A cursor, not a generator: exposition pauses between series to yield to the event loop, and a
 * recursive generator paid a resumption per level and a `[id, text]` array per series. A series
 * deleted during a pause is skipped; one inserted may or may not be visited.
 */
export class SeriesCursor {
  /** Id of the current series (after `next()` returned true). */
  id = -1;
  /** Label text of the current series. */
  text = '';
  readonly #index: SeriesIndex;
  readonly #fragment: (level: number, value: string) => string;
  readonly #deletes: number;
  readonly #values: string[];
  /** Per level: the entries being walked, the position in them, the text before that level. */
  readonly #entries: Array<ReadonlyArray<string | IndexChild>>;
  readonly #positions: number[];
  readonly #prefixes: string[];
  #level = 0;

  /** `prefix` goes before the first fragment; give it with its trailing `,` when not empty. */
  constructor(
    index: SeriesIndex,
    fragment: (level: number, value: string) => string,
    prefix: string,
  ) {
    this.#index = index;
    this.#fragment = fragment;
    this.#deletes = index.deletes;
    const depth = index.depth;
    this.#values = new Array<string>(depth).fill('');
    this.#entries = new Array<ReadonlyArray<string | IndexChild>>(depth).fill([]);
    this.#positions = new Array<number>(depth).fill(0);
    this.#prefixes = new Array<string>(depth).fill('');
    this.#entries[0] = flatEntries(index.root);
    this.#prefixes[0] = prefix;
  }

  /** Moves to the next series; false when there is none left. */
  next(): boolean {
    const index = this.#index;
    const depth = index.depth;
    const values = this.#values;
    let level = this.#level;
    while (level >= 0) {
      const entries = this.#entries[level] as ReadonlyArray<string | IndexChild>;
      const at = this.#positions[level] as number;
      if (at >= entries.length) {
        level--;
        continue;
      }
      this.#positions[level] = at + 2;
      const key = entries[at] as string;
      const child = entries[at + 1] as IndexChild;
      values[level] = key;
      const text = (this.#prefixes[level] as string) + this.#fragment(level, key);
      if (typeof child === 'object') {
        level++;
        this.#entries[level] = flatEntries(child as IndexNode);
        this.#positions[level] = 0;
        this.#prefixes[level] = `${text},`;
        continue;
      }
      if (!index.readRest(child, level + 1, values)) continue;
      // After a delete, `child` may be gone, or its id reused by another series.
      if (index.deletes !== this.#deletes && index.find(values) !== child) continue;
      let full = text;
      for (let j = level + 1; j < depth; j++) {
        full += `,${this.#fragment(j, values[j] as string)}`;
      }
      this.#level = level;
      this.id = child;
      this.text = full;
      return true;
    }
    this.#level = -1;
    return false;
  }
}

/**
 * The series of one metric, as exposition walks them: those of its index, then the overflow
 * series (looked up at the end, so one made during a pause is included); or the only series of
 * an unlabelled metric, unless `clear()` removed it.
 */
export class MetricCursor {
  id = -1;
  text = '';
  readonly #inner: SeriesCursor | undefined;
  /** The id of the series after the index's: the overflow series, or an unlabelled metric's. */
  readonly #overflowId: () => number;
  readonly #overflowText: string;
  #done = false;

  /** The cursor of a metric whose series are in `index` (none: unlabelled) with `defaults`. */
  constructor(
    index: SeriesIndex | undefined,
    names: readonly string[],
    defaults: string,
    /** The id of the series after the index's (the overflow series, or the sole one), or -1. */
    lastId: () => number,
  ) {
    if (index === undefined) {
      this.#inner = undefined;
      this.#overflowId = lastId;
      this.#overflowText = defaults;
      return;
    }
    const prefix = defaults === '' ? '' : `${defaults},`;
    this.#inner = new SeriesCursor(index, labelPairs(names), prefix);
    this.#overflowId = lastId;
    this.#overflowText = prefix + OVERFLOW_LABELS;
  }

  next(): boolean {
    const inner = this.#inner;
    if (inner?.next()) {
      this.id = inner.id;
      this.text = inner.text;
      return true;
    }
    if (this.#done) return false;
    this.#done = true;
    this.id = this.#overflowId();
    this.text = this.#overflowText;
    return this.id >= 0;
  }
}
