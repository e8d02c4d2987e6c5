import { describeValue } from './describe-value.js';
import { invalidOption } from './invalid-option.js';

/*
 * One check per kind of option value. Every `optional…` check returns `undefined` for an
 * `undefined` value (an option left out or passed as `undefined` means the default) and throws
 * `ConfigurationError` `INVALID_OPTION` naming the owner, the field, the value and what would be
 * right: `Cache: max should be a positive integer, got 0`. `required` turns any of them into a
 * required option.
 */

/** `value` unless it is `undefined`: then `owner: field is required` (with a hint). */
export function required<T>(owner: string, field: string, value: T | undefined, hint = ''): T {
  if (value === undefined) {
    throw invalidOption(owner, `${field} is required${hint === '' ? '' : `: ${hint}`}`);
  }
  return value;
}

function fail(owner: string, field: string, expected: string, value: unknown): never {
  throw invalidOption(owner, `${field} should be ${expected}, got ${describeValue(value)}`);
}

/** A string; non-empty unless `allowEmpty`. */
export function optionalString(
  owner: string,
  field: string,
  value: unknown,
  { allowEmpty = false }: { readonly allowEmpty?: boolean } = {},
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    fail(owner, field, allowEmpty ? 'a string' : 'a non-empty string', value);
  }
  return value;
}

export function optionalBoolean(owner: string, field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(owner, field, 'true or false', value);
  return value;
}

/** A function, returned with its type. */
export function optionalFunction<T extends (...args: never[]) => unknown>(
  owner: string,
  field: string,
  value: unknown,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(owner, field, 'a function', value);
  return value as T;
}

/** One of `allowed`. */
export function optionalChoice<T extends string | number | boolean>(
  owner: string,
  field: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    const choices = allowed.map((choice) => describeValue(choice)).join(', ');
    fail(owner, field, `one of ${choices}`, value);
  }
  return value as T;
}

/** Bounds of a number option; both inclusive. */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
}

/** A safe integer in `[min, max]` (default: any). */
export function optionalInteger(
  owner: string,
  field: string,
  value: unknown,
  { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER }: NumberBounds = {},
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    fail(owner, field, integerExpectation(min, max), value);
  }
  return value as number;
}

function integerExpectation(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) {
    if (min === 1) return 'a positive integer';
    if (min === 0) return 'a non-negative integer';
    if (min === Number.MIN_SAFE_INTEGER) return 'an integer';
    return `an integer of at least ${min}`;
  }
  return `an integer from ${min} to ${max}`;
}

/** A finite number in `[min, max]` (default: any finite number). */
export function optionalNumber(
  owner: string,
  field: string,
  value: unknown,
  { min = -Number.MAX_VALUE, max = Number.MAX_VALUE }: NumberBounds = {},
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const bounds =
      max === Number.MAX_VALUE
        ? min === -Number.MAX_VALUE
          ? ''
          : ` of at least ${min}`
        : min === -Number.MAX_VALUE
          ? ` of at most ${max}`
          : ` from ${min} to ${max}`;
    fail(owner, field, `a finite number${bounds}`, value);
  }
  return value;
}

/** A fraction in (0, 1], such as 0.5 for 50 %. */
export function optionalRate(owner: string, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    fail(owner, field, 'a number in (0, 1], such as 0.5 for 50 %', value);
  }
  return value;
}
