import { ConfigurationError } from '@vigil/core';

/** @internal A short, safe rendering of a bad option value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return String(value);
}

/** @internal Throws `INVALID_OPTION` unless `options` is an object whose keys are all `known`. */
export function rejectUnknownOptions(
  owner: string,
  options: unknown,
  known: readonly string[],
): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${owner}: options should be an object, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${owner}: unknown option '${key}'; the options are ${known.join(', ')}`,
      );
    }
  }
}

/** @internal Throws `INVALID_OPTION` unless `value` is undefined or a boolean. */
export function checkBoolean(owner: string, field: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${owner}: ${field} should be true or false, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** @internal Whether `value` has every one of `methods` as a function (duck typing across copies). */
export function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return methods.every((method) => typeof record[method] === 'function');
}
