import { VigilError } from '@vigil/core';

/** Every stable error code thrown by the storage packages. Each is explained in `docs/errors.md`. */
export type StoreErrorCode =
  /** Data read back from the backend does not have the shape the store wrote. */
  | 'STORE_CORRUPT'
  /** The backend did not answer (down, unreachable, timed out). */
  | 'STORE_UNAVAILABLE'
  /** A bad argument: an empty key, a non-finite value, a bad query. */
  | 'STORE_INVALID_ARGUMENT';

/** An error of a store or adapter. `cause` holds the backend's own error, where there is one. */
export class StoreError extends VigilError {
  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}
