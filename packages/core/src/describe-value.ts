/**
 * Renders a value for an error message: strings quoted as JSON, numbers, booleans, `null` and
 * `undefined` as written, anything else as JSON where it has one (`{"a":1}`, `[1,2]`), else as
 * `String(value)` or its `[object Type]` tag.
 *
 * ```ts
 * throw new ConfigurationError('INVALID_OPTION', `limit should be a positive integer, got ${describeValue(limit)}`);
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
