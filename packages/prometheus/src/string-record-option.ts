import { describeValue, invalidOption } from '@vigil/core/options';

/**
 * @internal An option that maps names to strings (`headers`, `externalLabels`): a plain object
 * whose values are all strings, returned as a frozen copy; `{}` when `undefined`.
 */
export function stringRecord(
  owner: string,
  field: string,
  value: unknown,
  example: string,
): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  const prototype =
    typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw invalidOption(
      owner,
      `${field} should be an object of strings, ${example}, got ${describeValue(value)}`,
    );
  }
  const copy: Record<string, string> = {};
  for (const [name, text] of Object.entries(value as object)) {
    if (typeof text !== 'string') {
      throw invalidOption(owner, `${field}.${name} should be a string, got ${describeValue(text)}`);
    }
    copy[name] = text;
  }
  return Object.freeze(copy);
}
