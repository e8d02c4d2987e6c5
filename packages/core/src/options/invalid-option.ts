import { ConfigurationError } from '../errors.js';

/**
 * The error for a bad option: `ConfigurationError` `INVALID_OPTION`, its message prefixed with
 * the owner (`Cache: max should be a positive integer, got 0`).
 */
export function invalidOption(owner: string, message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', `${owner}: ${message}`);
}
