import { ConfigurationError } from '@vigil/core';
import { unknownOptionMessage } from '@vigil/core/options';
import { describeValue } from './errors.js';

/** Throws `INVALID_OPTION` unless `options` is an object whose keys are all in `known`. */
export function rejectUnknownOptions(
  owner: string,
  options: unknown,
  known: readonly string[],
): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${owner}: options should be an object, got ${describeValue(options)}`,
    );
  }
  const unknown = unknownOptionMessage(options, known);
  if (unknown !== undefined) throw new ConfigurationError('INVALID_OPTION', `${owner}: ${unknown}`);
}

/** Throws `INVALID_OPTION` unless `value` is undefined or a boolean. */
export function checkBoolean(owner: string, field: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${owner}: ${field} should be true or false, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Throws `INVALID_OPTION` unless `value` is undefined or a positive integer. */
export function checkPositiveInteger(
  owner: string,
  field: string,
  value: unknown,
): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${owner}: ${field} should be a positive integer, got ${describeValue(value)}`,
    );
  }
  return value as number | undefined;
}
