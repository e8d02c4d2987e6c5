/**
 * One node of a `SeriesIndex`: the children of one label prefix, keyed by the next label value,
 * in insertion order. A node of up to `SMALL_NODE_MAX` entries is a flat array
 * `[key, child, key, child, …]` of exactly that length, scanned linearly with `===`: a `Map`
 * costs ~170 bytes even with one entry, the array 48 + 16 per entry. Past that size it becomes a
 * `Map`, and back to an array when deletes leave it at half that size.
 *
 * Arrays are never grown in place (V8 would add 16 spare slots): adding or removing an entry
 * returns a new array, which the caller stores in the parent. A `Map` changes in place.
 */
export type IndexNode = SmallNode | Map<string, IndexChild>;
/** A node, or a series id (see `SeriesIndex`). */
export type IndexChild = IndexNode | number;
type SmallNode = Array<string | IndexChild>;

export const SMALL_NODE_MAX = 8;
const SHRINK_AT = SMALL_NODE_MAX / 2;

/** The child under `key`, or undefined. `key` may be any value: a non-string never matches. */
export function childOf(node: IndexNode, key: unknown): IndexChild | undefined {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i += 2) {
      if (node[i] === key) return node[i + 1] as IndexChild;
    }
    return undefined;
  }
  return node.get(key as string);
}

export function sizeOf(node: IndexNode): number {
  return Array.isArray(node) ? node.length >> 1 : node.size;
}

/** `node` with `key` (absent) added last: the same `Map`, or a new node. */
export function withChild(node: IndexNode, key: string, child: IndexChild): IndexNode {
  if (!Array.isArray(node)) return node.set(key, child);
  // `concat` spreads an array argument one level only, so a node child stays one element.
  if (node.length < SMALL_NODE_MAX * 2) return node.concat([key, child]);
  const map = new Map<string, IndexChild>();
  for (let i = 0; i < node.length; i += 2) map.set(node[i] as string, node[i + 1] as IndexChild);
  return map.set(key, child);
}

/** `node` without `key`: the same `Map` (a new array once it is small again), or a new array. */
export function withoutChild(node: IndexNode, key: string): IndexNode {
  if (Array.isArray(node)) {
    const at = slotOf(node, key);
    return at < 0 ? node : node.slice(0, at).concat(node.slice(at + 2));
  }
  if (!node.delete(key) || node.size > SHRINK_AT) return node;
  let small: SmallNode = [];
  for (const [k, child] of node) small = small.concat([k, child]);
  return small;
}

/** Replaces the child under `key` (present) in place. */
export function setChild(node: IndexNode, key: string, child: IndexChild): void {
  if (Array.isArray(node)) node[slotOf(node, key) + 1] = child;
  else node.set(key, child);
}

/** The key and child of a node with one entry. */
export function onlyEntry(node: IndexNode): [string, IndexChild] {
  if (Array.isArray(node)) return [node[0] as string, node[1] as IndexChild];
  return node.entries().next().value as [string, IndexChild];
}

/** The entries as a flat array `[key, child, …]`: the node itself, or a copy of a `Map`. */
export function flatEntries(node: IndexNode): ReadonlyArray<string | IndexChild> {
  if (Array.isArray(node)) return node;
  const flat: SmallNode = new Array(node.size * 2);
  let i = 0;
  for (const [key, child] of node) {
    flat[i++] = key;
    flat[i++] = child;
  }
  return flat;
}

function slotOf(node: SmallNode, key: string): number {
  for (let i = 0; i < node.length; i += 2) if (node[i] === key) return i;
  return -1;
}
