import { VigilError } from '@vigil/core';

/**
 * Every stable error code thrown by `@vigil/cache`, besides core's `INVALID_OPTION` and
 * `INVALID_DURATION` (bad options) and resilience's `TIMEOUT` (a loader past its hard timeout).
 * Each one is explained in `docs/errors.md`.
 */
export const CACHE_ERROR_CODES = ['CACHE_INVALID_KEY'] as const;

/** A stable error code thrown by `@vigil/cache`. */
export type CacheErrorCode = (typeof CACHE_ERROR_CODES)[number];

/** A key that is not a non-empty string: given to a call, or made by a `key` function. */
export class CacheKeyError extends VigilError {
  static override readonly brand = 'vigil.cache.CacheKeyError';
  declare readonly code: 'CACHE_INVALID_KEY';

  constructor(message: string) {
    super('CACHE_INVALID_KEY', message);
    this.name = 'CacheKeyError';
  }
}
