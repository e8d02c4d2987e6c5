import type { StoredRecord } from '../record-store.js';

/** A record as an adapter read or wrote it; `expiresAt` null or undefined: it never expires. */
export interface StoredRecordFields {
  readonly value: unknown;
  readonly version: number;
  readonly expiresAt?: number | null | undefined;
}

/** The `StoredRecord` a store answers, with `expiresAt` only when the record has one. */
export function storedRecord<T>(key: string, fields: StoredRecordFields): StoredRecord<T> {
  const { version, expiresAt } = fields;
  const value = fields.value as T;
  return expiresAt == null ? { key, value, version } : { key, value, version, expiresAt };
}
