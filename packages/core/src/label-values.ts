import { describeValue } from './options/describe-value.js';

export type LabelValue = string | number;
/** A complete label set for a metric whose label names are `L`. */
export type Labels<L extends string> = { readonly [K in L]: LabelValue };

/**
 * Checks a label set against `names` and returns its values in `names` order, or a message that
 * says what is wrong and what was expected.
 */
export function labelValuesOf(
  metric: string,
  names: readonly string[],
  labels: unknown,
): string[] | string {
  if (typeof labels !== 'object' || labels === null) {
    return `${metric}: labels should be an object with ${expected(names)}, got ${describeValue(labels)}`;
  }
  const record = labels as Record<string, unknown>;
  const values: string[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = record[name];
    if (typeof value === 'string') values[i] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) values[i] = String(value);
    else if (value === undefined)
      return `${metric}: label '${name}' is missing; ${expected(names)}`;
    else {
      return `${metric}: label '${name}' should be a string or a finite number, got ${describeValue(value)}`;
    }
  }
  const extra = Object.keys(record).filter((key) => !names.includes(key));
  if (extra.length > 0) {
    return `${metric}: unexpected label${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}; ${expected(names)}`;
  }
  return values;
}

function expected(names: readonly string[]): string {
  return names.length === 0
    ? 'this metric has no labels'
    : `expected exactly ${names.map((n) => `'${n}'`).join(', ')}`;
}

/** Counts own enumerable keys without allocating (the hot path's check for extra labels). */
export function keyCount(labels: object): number {
  let count = 0;
  for (const _ in labels) count++;
  return count;
}
