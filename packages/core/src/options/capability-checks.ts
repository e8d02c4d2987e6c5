import type { OnError } from '../background-errors.js';
import type { Clock } from '../clock.js';
import type { Timers } from '../timer-provider.js';
import { describeValue } from './describe-value.js';
import { invalidOption } from './invalid-option.js';

/*
 * Checks of the objects options hand in (a registry, a clock, timers), by shape rather than by
 * class, so that two installed copies of a package work together.
 */

/** Whether `value` is an object with every one of `methods` as a function. */
export function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return methods.every((method) => typeof record[method] === 'function');
}

function optionalShape<T>(
  owner: string,
  field: string,
  value: unknown,
  methods: readonly string[],
  expected: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!hasMethods(value, methods)) {
    throw invalidOption(owner, `${field} should be ${expected}, got ${describeValue(value)}`);
  }
  return value as T;
}

const REGISTRY_METHODS = ['counter', 'gauge', 'histogram', 'summary', 'metrics', 'snapshot'];

/** A `Registry` from `@vigil/core` (any installed copy). */
export function optionalRegistry<T = unknown>(
  owner: string,
  field: string,
  value: unknown,
): T | undefined {
  return optionalShape<T>(
    owner,
    field,
    value,
    REGISTRY_METHODS,
    'a Registry from @vigil/core, such as new Registry()',
  );
}

/** A `Clock`: an object with `now()`. */
export function optionalClock(owner: string, field: string, value: unknown): Clock | undefined {
  return optionalShape<Clock>(
    owner,
    field,
    value,
    ['now'],
    'an object with a now() method returning ms since the epoch, such as Date',
  );
}

/** A `Timers` provider: an object with `setTimeout()` and `clearTimeout()`. */
export function optionalTimers(owner: string, field: string, value: unknown): Timers | undefined {
  return optionalShape<Timers>(
    owner,
    field,
    value,
    ['setTimeout', 'clearTimeout'],
    'an object with setTimeout(callback, ms) and clearTimeout(handle) methods',
  );
}

/** An `onError` callback. */
export function optionalOnError(owner: string, field: string, value: unknown): OnError | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw invalidOption(
      owner,
      `${field} should be a function (error, { source, operation }) => void, got ${describeValue(value)}`,
    );
  }
  return value as OnError;
}
