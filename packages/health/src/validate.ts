import { ConfigurationError, type DurationInput, parseDuration } from '@vigil/core';
import { checkOptionsObject, describeValue } from '@vigil/core/options';

/**
 * @internal Option checks shared by the monitor and the built-in checks. Each throws core's
 * `ConfigurationError` naming the option, the bad value and what would be right.
 */

/** Renders a value for an error message: core's `describeValue`, but a function as `a function`. */
export function describe(value: unknown): string {
  return typeof value === 'function' ? 'a function' : describeValue(value);
}

export function invalidOption(owner: string, message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', `${owner}: ${message}`);
}

/** Checks that `options` is a plain object (or undefined) whose keys are all in `known`. */
export function checkKeys(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(owner, `options should be an object, got ${describe(options)}`);
  }
  checkOptionsObject(owner, options, known);
}

export function optionalString(owner: string, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidOption(owner, `${field} should be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function optionalBoolean(owner: string, field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw invalidOption(owner, `${field} should be true or false, got ${describe(value)}`);
  }
  return value;
}

/** A finite number ≥ `min`, or undefined. */
export function optionalNumber(
  owner: string,
  field: string,
  value: unknown,
  min: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalidOption(
      owner,
      `${field} should be a finite number of at least ${min}, got ${describe(value)}`,
    );
  }
  return value;
}

export function requiredFunction(owner: string, field: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw invalidOption(owner, `${field} should be a function, got ${describe(value)}`);
  }
}

/** One of `allowed`, or undefined. */
export function optionalChoice<T extends string>(
  owner: string,
  field: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    const choices = allowed.map((choice) => `'${choice}'`).join(', ');
    throw invalidOption(owner, `${field} should be one of ${choices}, got ${describe(value)}`);
  }
  return value as T;
}

/** The longest delay `setTimeout` keeps: 2^31 - 1 ms, about 24.8 days. */
export const MAX_TIMER_DELAY = 2_147_483_647;

/** A duration in ms, at most `MAX_TIMER_DELAY`; `positive` rejects zero. */
export function duration(owner: string, field: string, value: unknown, positive = false): number {
  const ms = parseDuration(value as DurationInput, `${owner}: ${field}`);
  if (ms > MAX_TIMER_DELAY) {
    throw new ConfigurationError(
      'INVALID_DURATION',
      `${owner}: ${field} should be at most 2147483647 ms (about 24.8 days, the longest timer Node keeps), got ${describe(value)}`,
    );
  }
  if (positive && ms === 0) {
    throw new ConfigurationError(
      'INVALID_DURATION',
      `${owner}: ${field} should be longer than zero, such as 500 or '2s', got ${describe(value)}`,
    );
  }
  return ms;
}

/** A registry-like object: checked by shape, so two installed copies of core both work. */
export function checkRegistry(owner: string, registry: unknown): void {
  if (registry === undefined) return;
  const candidate = registry as { gauge?: unknown; histogram?: unknown };
  if (
    typeof registry !== 'object' ||
    registry === null ||
    typeof candidate.gauge !== 'function' ||
    typeof candidate.histogram !== 'function'
  ) {
    throw invalidOption(
      owner,
      `registry should be a Registry from @vigil/core, got ${describe(registry)}`,
    );
  }
}

/** A clock: an object with `now()`. */
export function checkClock(owner: string, clock: unknown): void {
  if (
    clock !== undefined &&
    (typeof clock !== 'object' ||
      clock === null ||
      typeof (clock as { now?: unknown }).now !== 'function')
  ) {
    throw invalidOption(
      owner,
      `clock should be an object with a now() method, got ${describe(clock)}`,
    );
  }
}
