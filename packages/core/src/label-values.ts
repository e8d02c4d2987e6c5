import type { InvalidReason } from './metric-context.js';
import { describeValue } from './options/describe-value.js';

export type LabelValue = string | number;
/** A complete label set for a metric whose label names are `L`. */
export type Labels<L extends string> = { readonly [K in L]: LabelValue };

/** What is wrong with a label set: the `reason` it is counted under and a message to show. */
export interface LabelProblem {
  readonly reason: InvalidReason;
  readonly message: string;
}

/**
 * Checks a label set against `names` and returns its values in `names` order, or what is wrong
 * and what was expected. With `maxValueLength`, the values are checked as those of a new series
 * too: at most that many UTF-16 code units, and well-formed text (see `wellFormedProblem`).
 */
export function labelValuesOf(
  metric: string,
  names: readonly string[],
  labels: unknown,
  maxValueLength?: number,
): string[] | LabelProblem {
  if (typeof labels !== 'object' || labels === null) {
    return mismatch(
      `${metric}: labels should be an object with ${expected(names)}, got ${describeValue(labels)}`,
    );
  }
  const record = labels as Record<string, unknown>;
  const values: string[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = record[name];
    if (typeof value === 'string') values[i] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) values[i] = String(value);
    else if (value === undefined)
      return mismatch(`${metric}: label '${name}' is missing; ${expected(names)}`);
    else {
      return mismatch(
        `${metric}: label '${name}' should be a string or a finite number, got ${describeValue(value)}`,
      );
    }
    if (maxValueLength !== undefined) {
      const problem = valueProblem(metric, name, values[i] as string, maxValueLength);
      if (problem !== undefined) return problem;
    }
  }
  const extra = Object.keys(record).filter((key) => !names.includes(key));
  if (extra.length > 0) {
    return mismatch(
      `${metric}: unexpected label${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}; ${expected(names)}`,
    );
  }
  return values;
}

function valueProblem(
  metric: string,
  name: string,
  value: string,
  maxLength: number,
): LabelProblem | undefined {
  if (value.length > maxLength) {
    return {
      reason: 'label_value_too_long',
      message: `${metric}: label '${name}' is ${value.length} characters long, more than the registry's maxLabelValueLength of ${maxLength}; a label value names a series, so keep it short (a route template rather than the URL), or raise maxLabelValueLength`,
    };
  }
  const malformed = wellFormedProblem(value);
  if (malformed === undefined) return undefined;
  return { reason: 'invalid_label_value', message: `${metric}: label '${name}' ${malformed}` };
}

/**
 * Why `text` cannot be written into an exposition, or undefined when it can. A lone UTF-16
 * surrogate has no UTF-8 encoding: it would go out as U+FFFD, so that `'a\uD800'`, `'a\uDC00'`
 * and `'a\uFFFD'` would render as one series line. Neither text format has an escape for it,
 * so it is rejected rather than escaped.
 */
export function wellFormedProblem(text: string): string | undefined {
  // `isWellFormed` is in Node 20 (V8 11.3), but not yet in TypeScript's ES2022 lib.
  if ((text as unknown as WellFormed).isWellFormed()) return undefined;
  const at = LONE_SURROGATE.exec(text)?.index ?? 0;
  const unit = text.charCodeAt(at).toString(16).toUpperCase();
  return `has a lone UTF-16 surrogate (U+${unit} at index ${at}), which no text format can carry: pass well-formed text, such as value.toWellFormed()`;
}

interface WellFormed {
  isWellFormed(): boolean;
}

// In a `u` regular expression a paired surrogate is one code point, so this finds lone ones.
const LONE_SURROGATE = /\p{Surrogate}/u;

function mismatch(message: string): LabelProblem {
  return { reason: 'labels_mismatch', message };
}

/** `expected exactly 'a', 'b'`, or `this metric has no labels`. */
export function expected(names: readonly string[]): string {
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
