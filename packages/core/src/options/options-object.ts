import { describeValue } from './describe-value.js';
import { invalidOption } from './invalid-option.js';

/**
 * Checks an options argument at construction: a plain object (not an array, not null) whose keys
 * are all in `known`, or `undefined` (read as `{}`) unless `required`. Misspelt options are
 * rejected: `Registry: unknown option 'prefx'; the options are defaultLabels, prefix, …`.
 *
 * @throws ConfigurationError `INVALID_OPTION`.
 */
export function checkOptionsObject(
  owner: string,
  options: unknown,
  known: readonly string[],
  { required = false }: { readonly required?: boolean } = {},
): Readonly<Record<string, unknown>> {
  if (options === undefined && !required) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(owner, `options should be an object, got ${describeValue(options)}`);
  }
  const unknown = unknownOptionMessage(options, known);
  if (unknown !== undefined) throw invalidOption(owner, unknown);
  return options as Readonly<Record<string, unknown>>;
}

/**
 * What is wrong with the keys of `options` (`unknown option 'prefx'; the options are …`, for the
 * first key not in `known`), or undefined when every key is known. For an owner that throws its
 * own error class; the others call `checkOptionsObject`.
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
