/** A series' labels, the metric name as `__name__`. Never mutated once made. */
export type Labels = Readonly<Record<string, string>>;

export const METRIC_NAME = '__name__';

// Label sets are never mutated once made, and a series keeps its object for its whole life: what
// is derived from one is computed once per object, not once per evaluation.
const withoutName = new WeakMap<Labels, Labels>();

/** The labels without the metric name (the same object for the same input). */
export function dropMetricName(labels: Labels): Labels {
  if (!(METRIC_NAME in labels)) return labels;
  let dropped = withoutName.get(labels);
  if (dropped === undefined) {
    const { [METRIC_NAME]: _, ...rest } = labels;
    dropped = rest;
    withoutName.set(labels, dropped);
  }
  return dropped;
}

/** A string identifying the label set: equal strings, equal sets. */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const name of names) {
    const value = labels[name] as string;
    if (value !== '') key += `${name}\u0000${value}\u0001`;
  }
  return key;
}

/**
 * The matching signature of vector matching and aggregation: with `on`, of `names` only;
 * otherwise of every label but `names` and the metric name.
 */
export function signature(labels: Labels, on: boolean, names: readonly string[]): string {
  let key = '';
  if (on) {
    // `names` in any fixed order gives a consistent key: the values, position by position.
    for (const name of names) key += `${labels[name] ?? ''}\u0001`;
    return key;
  }
  for (const name of Object.keys(labels).sort()) {
    if (name === METRIC_NAME || names.includes(name)) continue;
    const value = labels[name] as string;
    if (value !== '') key += `${name}\u0000${value}\u0001`;
  }
  return key;
}

/** Prometheus's order of label sets: by sorted names and values, pair by pair. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    const na = an[i] as string;
    const nb = bn[i] as string;
    if (na !== nb) return na < nb ? -1 : 1;
    const va = a[na] as string;
    const vb = b[nb] as string;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return an.length - bn.length;
}

/** `name{a="1", b="2"}`, as Prometheus prints a series. */
export function formatLabels(labels: Labels): string {
  const name = labels[METRIC_NAME] ?? '';
  const pairs = Object.keys(labels)
    .filter((label) => label !== METRIC_NAME)
    .sort()
    .map((label) => `${label}=${JSON.stringify(labels[label])}`);
  return `${name}{${pairs.join(', ')}}`;
}
