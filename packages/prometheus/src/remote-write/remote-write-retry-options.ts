import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalDuration,
  optionalInteger,
} from '@vigil/core/options';
import type { RetryPolicy } from './retry-policy.js';

/**
 * `RemoteWriterOptions.retries`: how a request that failed with a 5xx, a 429 or no answer is sent
 * again. Any other 4xx is never retried (remote write 1.0). The wait doubles from `minBackoff` up
 * to `maxBackoff`; a `Retry-After` header replaces it.
 */
export interface RemoteWriteRetryOptions {
  /** Attempts per request, the first one included; `1` never retries. Default 3. */
  maxAttempts?: number | undefined;
  /** Wait before the first retry. Default `'100ms'`. */
  minBackoff?: DurationInput | undefined;
  /**
   * Longest wait between two attempts. A `Retry-After` longer than this is not waited for: the
   * request fails, and periodic writes pause until that time. Default `'5s'`.
   */
  maxBackoff?: DurationInput | undefined;
}

const KEYS = [
  'maxAttempts',
  'minBackoff',
  'maxBackoff',
] as const satisfies readonly (keyof RemoteWriteRetryOptions)[];

/** @internal `retries` checked, with its defaults. */
export function retryPolicy(owner: string, value: unknown): RetryPolicy {
  const given = checkOptionsObject(`${owner}: retries`, value, KEYS);
  const minBackoff =
    optionalDuration(owner, 'retries.minBackoff', given.minBackoff, { positive: true }) ?? 100;
  const maxBackoff =
    optionalDuration(owner, 'retries.maxBackoff', given.maxBackoff, { positive: true }) ??
    Math.max(5_000, minBackoff);
  if (maxBackoff < minBackoff) {
    throw invalidOption(
      owner,
      `retries.maxBackoff should be at least retries.minBackoff (${minBackoff} ms), got ${describeValue(given.maxBackoff)}`,
    );
  }
  return {
    maxAttempts:
      optionalInteger(owner, 'retries.maxAttempts', given.maxAttempts, { min: 1, max: 100 }) ?? 3,
    minBackoff,
    maxBackoff,
  };
}
