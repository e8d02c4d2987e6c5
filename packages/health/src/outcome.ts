import { describeValue } from '@vigil/core/options';
import type { CheckOutcome, CheckStatus, ObservedValue } from './health-check.js';

/** @internal The longest `output` kept; longer texts are cut, so a report stays small. */
const MAX_OUTPUT = 1_000;
const STATUSES: readonly string[] = ['pass', 'warn', 'fail'] satisfies CheckStatus[];

/**
 * @internal Turns what a check's `run` returned into a clean outcome with only the known
 * fields: `true` or nothing is `pass`, `false` is `fail`, anything malformed is `fail` saying so.
 */
export function normalizeOutcome(value: unknown): CheckOutcome {
  if (value === true || value === undefined) return { status: 'pass' };
  if (value === false) return { status: 'fail', output: 'the check returned false' };
  const problem = malformed(value);
  if (problem !== undefined) {
    return {
      status: 'fail',
      output: clip(
        `the check returned ${describeValue(value)}: ${problem}; a check returns { status: 'pass' | 'warn' | 'fail', observedValue?, observedUnit?, output?, details? }, true, false or nothing`,
      ),
    };
  }
  const outcome = value as CheckOutcome;
  const clean: CheckOutcome = { status: outcome.status };
  if (outcome.observedValue !== undefined) clean.observedValue = outcome.observedValue;
  if (outcome.observedUnit !== undefined) clean.observedUnit = outcome.observedUnit;
  if (outcome.output !== undefined) clean.output = clip(outcome.output);
  if (outcome.details !== undefined) clean.details = { ...outcome.details };
  return clean;
}

/** @internal The outcome of a check that threw or rejected. */
export function failureOutcome(error: unknown): CheckOutcome {
  return { status: 'fail', output: clip(describeError(error)) };
}

/**
 * @internal An error in words: its message, the messages of an `AggregateError`'s errors, and
 * its cause's (`fetch failed: connect ECONNREFUSED 127.0.0.1:1`).
 */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : describeValue(error);
  let text = error.message;
  if (error instanceof AggregateError && error.errors.length > 0 && depth < 3) {
    const inner = error.errors.map((e: unknown) => describeError(e, depth + 1)).join('; ');
    text = text === '' ? inner : `${text}: ${inner}`;
  }
  if (text === '') text = error.name;
  const cause = error.cause;
  if (cause !== undefined && depth < 3) {
    const because = describeError(cause, depth + 1);
    if (because !== '' && !text.includes(because)) text = `${text}: ${because}`;
  }
  return text;
}

function clip(text: string): string {
  return text.length <= MAX_OUTPUT ? text : `${text.slice(0, MAX_OUTPUT - 1)}…`;
}

function isObservedValue(value: unknown): value is ObservedValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** What is wrong with an outcome object, or undefined when nothing is. */
function malformed(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not an outcome object';
  }
  const o = value as Record<string, unknown>;
  if (!STATUSES.includes(o.status as string)) return 'status is not pass, warn or fail';
  if (o.observedValue !== undefined && !isObservedValue(o.observedValue)) {
    return 'observedValue is not a finite number, a string, a boolean or null';
  }
  if (o.observedUnit !== undefined && typeof o.observedUnit !== 'string') {
    return 'observedUnit is not a string';
  }
  if (o.output !== undefined && typeof o.output !== 'string') return 'output is not a string';
  if (o.details !== undefined) {
    const details = o.details;
    if (typeof details !== 'object' || details === null || Array.isArray(details)) {
      return 'details is not an object';
    }
    for (const [key, entry] of Object.entries(details)) {
      if (!isObservedValue(entry))
        return `details.${key} is not a finite number, a string, a boolean or null`;
    }
  }
  return undefined;
}
