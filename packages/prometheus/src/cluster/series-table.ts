import type { SnapshotLabels } from '@vigil/core';

type Node<T> = Map<string, Node<T> | T>;

/**
 * @internal The series of one merged metric, found by label set whatever the order of its keys,
 * kept in first-seen order. Label values index nested maps level by level, in name order, under
 * the sorted names: no key string is built per series (building and hashing one cost more than
 * the rest of a merge). The series of a metric nearly always list the same names in the same
 * order, so the sorting is done once for that order and reused while it holds.
 */
export class SeriesTable<T> {
  /** The entries, in first-seen order. */
  readonly entries: T[] = [];
  /** The names of the last label set, in its order. */
  #names: string[] = [];
  /** Positions of `#names` in name order. */
  #order: number[] = [];
  /** The sorted names, joined. */
  #signature = '';
  readonly #values: string[] = [];
  readonly #roots = new Map<string, Node<T>>();
  // Where `find` stopped: `add` inserts there.
  #node: Node<T> | undefined;
  #level = 0;

  /** The entry of `labels`, or undefined (then `add` inserts the entry of these labels). */
  find(labels: SnapshotLabels): T | undefined {
    const names = this.#names;
    const values = this.#values;
    let count = 0;
    let same = true;
    for (const name in labels) {
      if (same && names[count] !== name) same = false;
      values[count++] = labels[name] as string;
    }
    if (!same || count !== names.length) this.#learn(labels);
    let node = this.#roots.get(this.#signature);
    if (node === undefined) {
      node = new Map();
      this.#roots.set(this.#signature, node);
    }
    const order = this.#order;
    const last = order.length - 1;
    for (let level = 0; level < last; level++) {
      const next = node.get(values[order[level] as number] as string) as Node<T> | undefined;
      if (next === undefined) {
        this.#node = node;
        this.#level = level;
        return undefined;
      }
      node = next;
    }
    this.#node = node;
    this.#level = Math.max(last, 0);
    return node.get(last < 0 ? '' : (values[order[last] as number] as string)) as T | undefined;
  }

  /** Inserts `entry` for the labels `find` was last given (and did not find). */
  add(entry: T): void {
    let node = this.#node as Node<T>;
    const order = this.#order;
    const values = this.#values;
    const last = order.length - 1;
    for (let level = this.#level; level < last; level++) {
      const next: Node<T> = new Map();
      node.set(values[order[level] as number] as string, next);
      node = next;
    }
    node.set(last < 0 ? '' : (values[order[last] as number] as string), entry);
    this.entries.push(entry);
  }

  #learn(labels: SnapshotLabels): void {
    const names = Object.keys(labels);
    this.#names = names;
    this.#order = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
    this.#signature = this.#order.map((i) => names[i]).join(',');
  }
}
