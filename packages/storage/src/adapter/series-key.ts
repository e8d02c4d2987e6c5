/**
 * The canonical identity of a series: its labels sorted by name, as JSON. Two label objects with
 * the same pairs in any order give the same key, and JSON escaping keeps keys unambiguous.
 * Storage is not a hot path, so sorting here is fine.
 */
export function seriesKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  // No prototype: a label named `__proto__` is an own property like any other.
  const sorted: Record<string, string> = Object.create(null);
  for (const name of names) sorted[name] = labels[name] as string;
  return JSON.stringify(sorted);
}
