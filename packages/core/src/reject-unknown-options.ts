import { ConfigurationError } from './errors.js';

/**
 * Rejects misspelt options at construction: throws `ConfigurationError` `INVALID_OPTION` naming
 * `owner` when `options` has a key that is not in `known`, such as
 * `Registry: unknown option 'prefx'; the options are defaultLabels, prefix, …`. Check that
 * `options` is an object first.
 */
export function rejectUnknownOptions(
  owner: string,
  options: object,
  known: readonly string[],
): void {
  const message = unknownOptionMessage(options, known);
  if (message !== undefined) throw new ConfigurationError('INVALID_OPTION', `${owner}: ${message}`);
}

/**
 * For packages that throw their own error class: what is wrong with the keys of `options`
 * (`unknown option 'prefx'; the options are defaultLabels, prefix, …`, for the first key not in
 * `known`), or undefined when every key is known.
 */
export function unknownOptionMessage(
  options: object,
  known: readonly string[],
): string | undefined {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) return `unknown option '${key}'; the options are ${known.join(', ')}`;
  }
  return undefined;
}
