import { SeriesCursor } from './series-cursor.js';
import {
  childOf,
  flatEntries,
  type IndexChild,
  type IndexNode,
  onlyEntry,
  setChild,
  sizeOf,
  withChild,
  withoutChild,
} from './series-index-node.js';

/** Label values stored for a tail: the last `length` values of its series (one is a string). */
type Rest = string | readonly string[];

/**
 * Maps label-value tuples to series ids with a trie keyed by the values themselves, one level per
 * label: a lookup is a few `Map.get` calls or short scans, no key string is built, nothing is
 * sorted, and two different tuples can never collide (prom-client joins values with `|`, which
 * can). The trie also stores the label values: exposition walks it instead of keeping them per
 * series.
 *
 * A prefix with a single series under it gets no node of its own: its parent holds the series id
 * (a *tail*) and the index keeps the series' remaining values per id, so an id-like label (a
 * value unique to each series) costs one entry in its parent rather than a node per series. A
 * second series under that prefix splits the tail into a node; deleting back to one series
 * collapses the node into a tail again.
 */
export class SeriesIndex {
  readonly depth: number;
  #root: IndexNode = [];
  #size = 0;
  /**
   * Per tail id: its values below the tail's level, at least (a suffix of its label values, which
   * only grows, so that a paused cursor still reads the right values).
   */
  #rest: Array<Rest | undefined> = [];
  /** Counts deletes, so that a paused cursor knows to check what it still has to visit. */
  #deletes = 0;

  constructor(depth: number) {
    this.depth = depth;
  }

  get size(): number {
    return this.#size;
  }

  /** The id stored for `values`, or -1. */
  find(values: readonly unknown[]): number {
    let node = this.#root;
    for (let level = 0; ; level++) {
      const child = childOf(node, values[level]);
      if (typeof child !== 'object') {
        if (child === undefined || !this.#restMatches(child, level + 1, values)) return -1;
        return child;
      }
      node = child;
    }
  }

  /** Looks up the label values of a labels object in `names` order; -1 when absent. */
  findByLabels(labels: Readonly<Record<string, unknown>>, names: readonly string[]): number {
    let node = this.#root;
    for (let level = 0; ; level++) {
      const child = childOf(node, keyOf(labels[names[level] as string]));
      if (typeof child !== 'object') {
        if (child === undefined) return -1;
        return level === this.depth - 1 || this.#restMatchesLabels(child, level + 1, labels, names)
          ? child
          : -1;
      }
      node = child;
    }
  }

  /** Stores `id` for `values`; nothing changes when `values` is stored already. */
  insert(values: readonly string[], id: number): void {
    let parent: IndexNode | undefined;
    let node = this.#root;
    for (let level = 0; level < this.depth; level++) {
      const key = values[level] as string;
      const child = childOf(node, key);
      if (child === undefined) {
        const grown = withChild(node, key, id);
        if (grown !== node) this.#replace(parent, values[level - 1] as string, grown);
        if (level < this.depth - 1) this.#rest[id] = restOf(values, level + 1);
        this.#size++;
        return;
      }
      if (typeof child === 'number') {
        if (this.#restMatches(child, level + 1, values)) return;
        setChild(node, key, this.#split(child, values, id, level + 1));
        this.#size++;
        return;
      }
      parent = node;
      node = child;
    }
  }

  /** Removes `values`, pruning and collapsing what is left; returns the stored id, or -1. */
  delete(values: readonly string[]): number {
    const path: IndexNode[] = [];
    let node = this.#root;
    let id = -1;
    for (let level = 0; id < 0; level++) {
      const child = childOf(node, values[level]);
      if (child === undefined) return -1;
      path.push(node);
      if (typeof child === 'number') {
        if (!this.#restMatches(child, level + 1, values)) return -1;
        id = child;
      } else node = child;
    }
    this.#rest[id] = undefined;
    this.#size--;
    this.#deletes++;
    let level = path.length - 1;
    let current = withoutChild(path[level] as IndexNode, values[level] as string);
    for (; level > 0; level--) {
      const parent = path[level - 1] as IndexNode;
      const key = values[level - 1] as string;
      const count = sizeOf(current);
      if (count === 0) {
        current = withoutChild(parent, key);
        continue;
      }
      const tail = count === 1 ? this.#collapse(current, level) : -1;
      if (tail >= 0) {
        setChild(parent, key, tail);
        current = parent;
        continue;
      }
      if (current !== path[level]) setChild(parent, key, current);
      return id;
    }
    this.#root = current;
    return id;
  }

  clear(): void {
    this.#root = [];
    this.#rest = [];
    this.#size = 0;
    this.#deletes++;
  }

  /** Calls `visit` for every series with its id and label values (the array is reused). */
  forEach(visit: (id: number, values: readonly string[]) => void): void {
    const values: string[] = new Array(this.depth);
    const walk = (node: IndexNode, level: number): void => {
      const entries = flatEntries(node);
      for (let i = 0; i < entries.length; i += 2) {
        values[level] = entries[i] as string;
        const child = entries[i + 1] as IndexChild;
        if (typeof child === 'object') walk(child, level + 1);
        else if (this.readRest(child, level + 1, values)) visit(child, values);
      }
    };
    walk(this.#root, 0);
  }

  /**
   * Every series as `[id, text]`, the text built level by level (see `SeriesCursor`, which
   * exposition uses directly, without a generator's per-series cost).
   */
  *joined(fragment: (level: number, value: string) => string): Generator<[number, string]> {
    const cursor = new SeriesCursor(this, fragment, '');
    while (cursor.next()) yield [cursor.id, cursor.text];
  }

  /** @internal The root node, for `SeriesCursor`. */
  get root(): IndexNode {
    return this.#root;
  }

  /** @internal How many deletes so far, for `SeriesCursor`. */
  get deletes(): number {
    return this.#deletes;
  }

  #replace(parent: IndexNode | undefined, key: string, node: IndexNode): void {
    if (parent === undefined) this.#root = node;
    else setChild(parent, key, node);
  }

  /**
   * The subtree that replaces tail `tail` (level `from - 1`) when series `id` with `values` joins
   * it: single-entry nodes down to the first level where the two differ, then a node with both.
   */
  #split(tail: number, values: readonly string[], id: number, from: number): IndexNode {
    const tailValues: string[] = new Array(this.depth);
    this.readRest(tail, from, tailValues);
    let level = from;
    while (level < this.depth - 1 && tailValues[level] === values[level]) level++;
    if (level < this.depth - 1) this.#rest[id] = restOf(values, level + 1);
    let node: IndexNode = [tailValues[level] as string, tail, values[level] as string, id];
    for (let up = level - 1; up >= from; up--) node = [values[up] as string, node];
    return node;
  }

  /** The tail id replacing `node` (level `level`) when its only entry is a series; else -1. */
  #collapse(node: IndexNode, level: number): number {
    const [key, child] = onlyEntry(node);
    if (typeof child !== 'number') return -1;
    if (level === this.depth - 1) {
      this.#rest[child] = key;
      return child;
    }
    const values: string[] = new Array(this.depth);
    this.readRest(child, level + 1, values);
    values[level] = key;
    this.#rest[child] = values.slice(level);
    return child;
  }

  /**
   * @internal Copies the values of tail `id` from level `from` on into `values`. False when it has none so
   * far down: deleted, or (seen by a paused cursor) its id reused by a series stored lower.
   */
  readRest(id: number, from: number, values: unknown[]): boolean {
    if (from === this.depth) return true;
    const rest = this.#rest[id];
    if (typeof rest === 'string') {
      values[from] = rest;
      return from === this.depth - 1;
    }
    const skip = rest === undefined ? -1 : rest.length - (this.depth - from);
    if (rest === undefined || skip < 0) return false;
    for (let i = from; i < this.depth; i++) values[i] = rest[skip + i - from];
    return true;
  }

  #restMatches(id: number, from: number, values: readonly unknown[]): boolean {
    if (from === this.depth) return true;
    const rest = this.#rest[id];
    if (typeof rest === 'string') return values[from] === rest;
    if (rest === undefined) return false;
    const skip = rest.length - (this.depth - from);
    for (let i = from; i < this.depth; i++) if (values[i] !== rest[skip + i - from]) return false;
    return true;
  }

  #restMatchesLabels(
    id: number,
    from: number,
    labels: Readonly<Record<string, unknown>>,
    names: readonly string[],
  ): boolean {
    const rest = this.#rest[id];
    if (rest === undefined) return false;
    const skip = (typeof rest === 'string' ? 1 : rest.length) - (this.depth - from);
    for (let i = from; i < this.depth; i++) {
      const stored = typeof rest === 'string' ? rest : rest[skip + i - from];
      if (keyOf(labels[names[i] as string]) !== stored) return false;
    }
    return true;
  }
}

/** The values from `from` on, as stored for a tail. */
function restOf(values: readonly string[], from: number): Rest {
  return from === values.length - 1 ? (values[from] as string) : values.slice(from);
}

// Numbers match the string they render as; anything else can never match a stored key, so the
// caller falls through to full validation, which reports it.
function keyOf(value: unknown): unknown {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
}
