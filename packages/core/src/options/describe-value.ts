/** Longest rendering of a value in a message; past it the value is summarised. */
const MAX_LENGTH = 60;

/**
 * Renders a value for an error message, short and safe: strings quoted as JSON (cut at 60
 * characters), numbers, booleans, `null` and `undefined` as written, a function as
 * `a function`, a class instance as `a Map`, small arrays and plain objects as JSON, larger ones
 * summarised (`an array of 300 items`, `an object with keys a, b, c`). Never a function's source
 * or a megabyte of JSON.
 *
 * ```ts
 * throw invalidOption('Cache', `max should be a positive integer, got ${describeValue(max)}`);
 * ```
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_LENGTH ? `${value.slice(0, MAX_LENGTH)}…` : value);
    case 'function':
      return 'a function';
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'object':
      return value === null ? 'null' : describeObject(value);
    default:
      return String(value);
  }
}

function describeObject(value: object): string {
  const prototype = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && prototype !== Object.prototype && prototype !== null) {
    const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  const json = safeJson(value);
  if (json !== undefined && json.length <= MAX_LENGTH) return json;
  if (isArray) return `an array of ${value.length} items`;
  const keys = Object.keys(value);
  const shown = keys.slice(0, 5).join(', ');
  return `an object with keys ${shown}${keys.length > 5 ? ', …' : ''}`;
}

function safeJson(value: object): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
