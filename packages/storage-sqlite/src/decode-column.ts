import { corrupt } from '@vigil/storage/adapter';

/** A TEXT column holding any JSON value, parsed; anything else is `STORE_CORRUPT`. */
export function jsonColumn(what: string, text: unknown): unknown {
  if (typeof text !== 'string') throw corrupt(what, `expected JSON text, got ${typeof text}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(what, 'not valid JSON', error);
  }
}

/** An INTEGER column as a safe integer of at least `min`; anything else is `STORE_CORRUPT`. */
export function integerColumn(what: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw corrupt(
      what,
      `expected an integer ≥ ${min}, got ${JSON.stringify(value) ?? typeof value}`,
    );
  }
  return value;
}

/** A column holding ms since the epoch (a finite number); anything else is `STORE_CORRUPT`. */
export function timeColumn(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw corrupt(
      what,
      `expected ms since the epoch, got ${JSON.stringify(value) ?? typeof value}`,
    );
  }
  return value;
}

/**
 * A column's value as an error message shows it: numbers as written (`Infinity`, which JSON would
 * show as `null`), text quoted and cut short, a blob by its size.
 */
export function columnText(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  }
  if (value instanceof Uint8Array) return `a blob of ${value.length} bytes`;
  return String(value);
}
