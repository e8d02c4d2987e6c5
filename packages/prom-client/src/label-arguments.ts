import { unknownLabel } from './validation.js';

/**
 * The value a missing label gets in the core series. prom-client accepts partial label sets
 * (`inc({ method: 'GET' })` on a metric labelled `method` and `code`) and renders only the labels
 * given; Vigil's series have every label, so the missing ones hold this value, and the facade
 * leaves them out when it reads the series back.
 */
export const ABSENT = '\u0000';

/** prom-client's `getLabels`: an object as is, or positional values in `labelNames` order. */
export function labelsOfArguments(
  labelNames: readonly string[],
  args: readonly unknown[],
): Record<string, unknown> {
  const first = args[0];
  if (typeof first === 'object') return (first ?? {}) as Record<string, unknown>;
  if (labelNames.length !== args.length) {
    throw new Error(
      `Invalid number of arguments (${args.length}): "${args.join(', ')}" for label names (${labelNames.length}): "${labelNames.join(', ')}".`,
    );
  }
  const labels: Record<string, unknown> = {};
  for (let i = 0; i < labelNames.length; i++) labels[labelNames[i] as string] = args[i];
  return labels;
}

/**
 * Checks `labels` as prom-client does (every key is a label name) and answers the complete label
 * set a core metric takes. The common case, every label given as a string or a finite number, is
 * `labels` itself: nothing is allocated on the recording path.
 */
export function coreLabels(
  labelNames: readonly string[],
  labels: Readonly<Record<string, unknown>>,
): Record<string, string | number> {
  let count = 0;
  let plain = true;
  for (const key in labels) {
    if (!labelNames.includes(key)) throw unknownLabel(key, labelNames);
    count++;
    const value = labels[key];
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      plain = false;
    }
  }
  if (plain && count === labelNames.length) return labels as Record<string, string | number>;
  return completeLabels(labelNames, labels);
}

function completeLabels(
  labelNames: readonly string[],
  labels: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const complete: Record<string, string> = {};
  for (const name of labelNames) {
    const value = labels[name];
    complete[name] = value === undefined ? ABSENT : String(value);
  }
  return complete;
}

/** The labels object a `labels(...)` / `remove(...)` caller wrote, if it wrote one. */
export function givenLabels(args: readonly unknown[]): Record<string, unknown> | undefined {
  const first = args[0];
  return typeof first === 'object' && first !== null
    ? (first as Record<string, unknown>)
    : undefined;
}
