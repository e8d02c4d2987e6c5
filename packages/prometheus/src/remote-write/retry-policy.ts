/** How failed requests are sent again: `RemoteWriterOptions.retries`, checked. */
export interface RetryPolicy {
  /** Attempts per request, the first one included: 1 never retries. */
  readonly maxAttempts: number;
  /** Wait before the first retry, in ms; doubled for each further one. */
  readonly minBackoff: number;
  /** Longest wait between two attempts, in ms; also the longest `Retry-After` waited for. */
  readonly maxBackoff: number;
}

/**
 * Whether a response status may succeed when sent again. Remote write 1.0: a sender retries on
 * 5xx, may retry on 429, and must not retry on any other 4xx (the request itself is wrong: bad
 * labels, samples out of order or too old).
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** The backoff before retry number `retry` (1 for the first): `minBackoff × 2^(retry-1)`, capped. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxBackoff, policy.minBackoff * 2 ** (retry - 1));
}

/**
 * A `Retry-After` header as a delay in ms from `now`: delta-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, never negative). `undefined` for no header or one that is
 * neither.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
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
