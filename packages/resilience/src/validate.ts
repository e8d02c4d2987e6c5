import { ConfigurationError, type DurationInput, parseDuration } from '@vigil/core';
import { checkOptionsObject, describeValue } from '@vigil/core/options';

/**
 * Option checks shared by every policy. Each throws core's `ConfigurationError` naming the
 * option, the bad value and what would be right.
 */

/** Renders a value for an error message: core's `describeValue`, but a function as `a function`. */
export function describe(value: unknown): string {
  return typeof value === 'function' ? 'a function' : describeValue(value);
}

export function invalidOption(owner: string, message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', `${owner}: ${message}`);
}

/** Checks that `options` is a plain object whose keys are all in `known`. */
export function checkKeys(owner: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(owner, `options should be an object, got ${describe(options)}`);
  }
  checkOptionsObject(owner, options, known);
}

export function positiveInteger(owner: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidOption(owner, `${field} should be a positive integer, got ${describe(value)}`);
  }
  return value;
}

export function nonNegativeInteger(owner: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidOption(owner, `${field} should be a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

/** A rate in (0, 1]. */
export function rate(owner: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw invalidOption(
      owner,
      `${field} should be a number in (0, 1], such as 0.5 for 50 %, got ${describe(value)}`,
    );
  }
  return value;
}

/** A number ≥ `min`. */
export function atLeast(owner: string, field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalidOption(
      owner,
      `${field} should be a number of at least ${min}, got ${describe(value)}`,
    );
  }
  return value;
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
      `${owner}: ${field} should be longer than zero, such as 100 or '2s', got ${describe(value)}`,
    );
  }
  return ms;
}

export function optionalFunction<T>(
  owner: string,
  field: string,
  value: T | undefined,
): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw invalidOption(owner, `${field} should be a function, got ${describe(value)}`);
  }
  return value;
}

/** A policy name, used as a metric label: required when a registry is given. */
export function policyName(owner: string, name: unknown, hasRegistry: boolean): string | undefined {
  if (name === undefined) {
    if (hasRegistry) {
      throw invalidOption(
        owner,
        'name is required when registry is given, because it labels the metrics (such as name: "partner-api")',
      );
    }
    return undefined;
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidOption(owner, `name should be a non-empty string, got ${describe(name)}`);
  }
  return name;
}

/** A registry-like object: checked by shape, so two installed copies of core both work. */
export function checkRegistry(owner: string, registry: unknown): void {
  if (registry === undefined) return;
  const candidate = registry as { counter?: unknown; gauge?: unknown; histogram?: unknown };
  if (
    typeof registry !== 'object' ||
    registry === null ||
    typeof candidate.counter !== 'function' ||
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
