import { type LabelProblem, type Labels, type LabelValue, labelValuesOf } from './label-values.js';
import { describeValue } from './options/describe-value.js';

/**
 * The arguments `labels()` and `remove()` take, as prom-client's do: one labels object, or the
 * values alone in `labelNames` order (`labels('GET', '/users/:id', '200')`).
 */
export type LabelArguments<L extends string> = [labels: Labels<L>] | LabelValue[];

/**
 * The label values of `labels()` / `remove()` arguments, split as `first` and `rest` so that the
 * object form reads one parameter and builds no argument list. Positional values are checked
 * like an object: their number first, then each value.
 */
export function labelArgumentValues(
  metric: string,
  names: readonly string[],
  first: unknown,
  rest: readonly unknown[],
  maxValueLength?: number,
): string[] | LabelProblem {
  const object = typeof first === 'object' && first !== null;
  if (rest.length === 0 && (object || first === undefined)) {
    return labelValuesOf(metric, names, first ?? {}, maxValueLength);
  }
  if (object) {
    return {
      reason: 'labels_mismatch',
      message: `${metric}: pass one labels object, or the label values alone in labelNames order, not both`,
    };
  }
  const values = [first, ...rest];
  if (values.length !== names.length) {
    return { reason: 'labels_mismatch', message: countMismatch(metric, names, values) };
  }
  const labels: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) labels[names[i] as string] = values[i];
  return labelValuesOf(metric, names, labels, maxValueLength);
}

function countMismatch(metric: string, names: readonly string[], values: unknown[]): string {
  const got = values.map((value) => describeValue(value)).join(', ');
  if (names.length === 0) {
    return `${metric}: got ${values.length} label value${values.length > 1 ? 's' : ''} (${got}) for a metric with no labels; call it with no arguments`;
  }
  const object = names
    .map((name, i) => `${name}: ${i < values.length ? describeValue(values[i]) : '…'}`)
    .join(', ');
  return `${metric}: got ${values.length} label value${values.length === 1 ? '' : 's'} (${got}) for ${names.length} label names (${names.join(', ')}); pass one value per name in that order, or an object: { ${object} }`;
}
