/** How failed requests are sent again: `RemoteWriterOptions.retries`, checked. */
export interface RetryPolicy {
  /** Attempts per request, the first one included: 1 never retries. */
  readonly maxAttempts: number;
  /** Wait before the first retry, in ms; doubled for each further one. */
  readonly minBackoff: number;
  /** Longest wait between two attempts, in ms; also the longest `Retry-After` waited for. */
  readonly maxBackoff: number;
}

/** The backoff before retry number `retry` (1 for the first): `minBackoff × 2^(retry-1)`, capped. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxBackoff, policy.minBackoff * 2 ** (retry - 1));
}

/** What to do after a failed attempt. */
export type RetryDecision =
  /** Send again after `delay` ms. */
  | { readonly retry: true; readonly delay: number }
  /**
   * Give up on this request. `holdOff`: the server asked (`Retry-After`) to wait longer than
   * `maxBackoff`; no periodic write should be sent before that many ms from now.
   */
  | { readonly retry: false; readonly holdOff?: number };

/**
 * Whether attempt number `attempt` (1 for the first) that failed should be sent again, and when.
 * A `Retry-After` on a retryable answer replaces the backoff: it is waited for exactly, unless it
 * is longer than `maxBackoff`, in which case the request is given up and the writer holds off.
 */
export function retryDecision(
  policy: RetryPolicy,
  attempt: number,
  failure: { readonly retryable: boolean; readonly retryAfter?: number | undefined },
): RetryDecision {
  if (!failure.retryable) return { retry: false };
  const { retryAfter } = failure;
  if (retryAfter !== undefined && retryAfter > policy.maxBackoff) {
    return { retry: false, holdOff: retryAfter };
  }
  if (attempt >= policy.maxAttempts) return { retry: false };
  return { retry: true, delay: retryAfter ?? backoffDelay(policy, attempt) };
}
