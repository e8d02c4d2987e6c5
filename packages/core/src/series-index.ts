/**
 * Maps label-value tuples to series ids with one `Map` per label position, so that a lookup is
 * a few `Map.get` calls on the values themselves: no key string is built, nothing is sorted, and
 * two different tuples can never collide (prom-client joins values with `|`, which can).
 * The tree also stores the label values: exposition walks it instead of keeping them per series.
 */
export type IndexNode = Map<string, IndexNode | number>;

export class SeriesIndex {
  readonly depth: number;
  #root: IndexNode = new Map();
  #size = 0;

  constructor(depth: number) {
    this.depth = depth;
  }

  get size(): number {
    return this.#size;
  }

  /** The id stored for `values`, or -1. */
  find(values: readonly string[]): number {
    let node: IndexNode = this.#root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      const next = node.get(values[i] as string);
      if (next === undefined) return -1;
      node = next as IndexNode;
    }
    const id = node.get(values[last] as string);
    return id === undefined ? -1 : (id as number);
  }

  /** Looks up the label values of a labels object in `names` order; -1 when absent. */
  findByLabels(labels: Readonly<Record<string, unknown>>, names: readonly string[]): number {
    let node: IndexNode = this.#root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      const value = labels[names[i] as string];
      const next = node.get(keyOf(value));
      if (next === undefined) return -1;
      node = next as IndexNode;
    }
    const value = labels[names[last] as string];
    const id = node.get(keyOf(value));
    return id === undefined ? -1 : (id as number);
  }

  insert(values: readonly string[], id: number): void {
    let node: IndexNode = this.#root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      const key = values[i] as string;
      let next = node.get(key) as IndexNode | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    node.set(values[last] as string, id);
    this.#size++;
  }

  /** Removes `values`, pruning maps left empty; returns the id that was stored, or -1. */
  delete(values: readonly string[]): number {
    const path: IndexNode[] = [];
    let node: IndexNode = this.#root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      path.push(node);
      const next = node.get(values[i] as string);
      if (next === undefined) return -1;
      node = next as IndexNode;
    }
    const id = node.get(values[last] as string);
    if (id === undefined) return -1;
    node.delete(values[last] as string);
    for (let i = last - 1; i >= 0 && node.size === 0; i--) {
      const parent = path[i] as IndexNode;
      parent.delete(values[i] as string);
      node = parent;
    }
    this.#size--;
    return id as number;
  }

  clear(): void {
    this.#root = new Map();
    this.#size = 0;
  }

  /** Calls `visit` for every series with its id and label values (the array is reused). */
  forEach(visit: (id: number, values: readonly string[]) => void): void {
    const values: string[] = new Array(this.depth);
    const walk = (node: IndexNode, level: number): void => {
      for (const [key, child] of node) {
        values[level] = key;
        if (level === this.depth - 1) visit(child as number, values);
        else walk(child as IndexNode, level + 1);
      }
    };
    walk(this.#root, 0);
  }

  /**
   * Every series as `[id, text]`, the text built level by level: the text of an upper level is
   * computed once and shared by every series under it. A generator, so that a long exposition can
   * pause between series and yield to the event loop.
   */
  *joined(fragment: (level: number, value: string) => string): Generator<[number, string]> {
    yield* this.#joinedFrom(this.#root, 0, '', fragment);
  }

  *#joinedFrom(
    node: IndexNode,
    level: number,
    prefix: string,
    fragment: (level: number, value: string) => string,
  ): Generator<[number, string]> {
    const leaf = level === this.depth - 1;
    for (const [key, child] of node) {
      const part = fragment(level, key);
      const text = level === 0 ? part : `${prefix},${part}`;
      if (leaf) yield [child as number, text];
      else yield* this.#joinedFrom(child as IndexNode, level + 1, text, fragment);
    }
  }
}

// Numbers match the string they render as; anything else can never match a stored key, so the
// caller falls through to full validation, which reports it.
function keyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : (value as string);
}
