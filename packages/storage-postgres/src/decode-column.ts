import { corrupt } from '@vigil/storage/adapter';

/** A bigint or integer column (pg returns int8 as a string) as a safe integer, else `STORE_CORRUPT`. */
export function integerColumn(what: string, value: unknown): number {
  const number = typeof value === 'string' && value !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw corrupt(what, `expected an integer, got ${JSON.stringify(value) ?? typeof value}`);
  }
  return number;
}

/** A `text` column holding any JSON value, parsed, else `STORE_CORRUPT`. */
export function jsonColumn(what: string, text: unknown): unknown {
  if (typeof text !== 'string') throw corrupt(what, `expected JSON text, got ${typeof text}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(what, 'not valid JSON', error);
  }
}

/** A float8 column as a finite number, else `STORE_CORRUPT`. */
export function finiteColumn(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw corrupt(what, `expected a finite number, got ${String(value)}`);
  }
  return value;
}
