import { StoreError } from '../errors.js';
import type { RecordWriteOptions } from '../record-store.js';
import { checkLimit, checkName, encodeJson, ttlMs } from './check-arguments.js';

/** A record's address, checked: `namespace` and `key` are names (see `checkName`). */
export function checkRecordKey(namespace: unknown, key: unknown): void {
  checkName('namespace', namespace);
  checkName('key', key);
}

/** What `set` and `compareAndSet` write, checked. */
export interface RecordWrite {
  /** The value as JSON text. */
  readonly json: string;
  /** `options.ttl` in ms, or undefined for a record that never expires. */
  readonly ttl: number | undefined;
}

/** Checks the arguments of `set` and `compareAndSet` (address, value, `ttl`), in that order. */
export function checkRecordWrite(
  namespace: unknown,
  key: unknown,
  value: unknown,
  options: RecordWriteOptions | undefined,
): RecordWrite {
  checkRecordKey(namespace, key);
  const json = encodeJson('value', value);
  const ttl = options?.ttl === undefined ? undefined : ttlMs('ttl', options.ttl);
  return { json, ttl };
}

/** Checks the namespace, prefix and page size of `list`; returns the page size. */
export function checkListArguments(
  namespace: unknown,
  prefix: unknown,
  limit: number | undefined,
): number {
  checkName('namespace', namespace);
  if (typeof prefix !== 'string') {
    throw new StoreError(
      'STORE_INVALID_ARGUMENT',
      `prefix should be a string, got ${typeof prefix}`,
    );
  }
  return checkLimit(limit);
}
