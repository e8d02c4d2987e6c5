import { VigilError } from '@vigil/core';

/**
 * Every stable error code thrown by the storage packages (memory, SQLite, PostgreSQL, Redis and
 * adapters built on `@vigil/storage/adapter`), each one explained in `docs/errors.md`. Bad store
 * options throw core's `ConfigurationError` instead (`INVALID_OPTION`, `INVALID_DURATION`).
 */
export const STORAGE_ERROR_CODES = [
  /** Data read back from the backend does not have the shape the store wrote. */
  'STORE_CORRUPT',
  /** The backend did not answer (down, unreachable, timed out, or the store was closed). */
  'STORE_UNAVAILABLE',
  /** A bad argument: an empty key, a non-finite value, a bad query. */
  'STORE_INVALID_ARGUMENT',
] as const;

/** A stable error code of a store. */
export type StoreErrorCode = (typeof STORAGE_ERROR_CODES)[number];

/**
 * An error of a store or adapter. `cause` holds the backend's own error, where there is one.
 * `instanceof StoreError` holds across the ESM and CJS builds and across two installed copies.
 */
export class StoreError extends VigilError {
  static override readonly brand = 'vigil.storage.StoreError';
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
