import type { Clock, Timers } from '@vigil/core';
import { isRetryableStatus, parseRetryAfter } from './retry-policy.js';

/** Where and how one request is sent. */
export interface PostTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Longest wait for the answer, body included, in ms. */
  readonly timeout: number;
  readonly timers: Timers;
  /** For `Retry-After` dates. */
  readonly clock: Clock;
}

/** Why one attempt failed. */
export interface PostFailure {
  /** The HTTP status, when the server answered. */
  readonly status?: number | undefined;
  /** 5xx, 429, no answer, a timeout. */
  readonly retryable: boolean;
  /** A `Retry-After` of a retryable answer, in ms from now. */
  readonly retryAfter?: number | undefined;
  /** What happened, such as `answered 400 Bad Request: out of order sample`. */
  readonly reason: string;
  readonly cause?: unknown;
}

/** Longest part of an error body quoted in a message. */
const MAX_BODY_QUOTE = 300;

/**
 * @internal POSTs one encoded `WriteRequest` and answers `undefined` on a 2xx, else why it
 * failed. Never throws. The timeout runs on `target.timers` and aborts the request.
 */
export async function postWriteRequest(
  target: PostTarget,
  body: Uint8Array,
): Promise<PostFailure | undefined> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = target.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, target.timeout);
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: target.headers,
      body,
      signal: controller.signal,
    });
    if (response.ok) {
      await response.arrayBuffer();
      return undefined;
    }
    const text = (await response.text()).trim();
    const retryable = isRetryableStatus(response.status);
    const quoted = text.length > MAX_BODY_QUOTE ? `${text.slice(0, MAX_BODY_QUOTE)}…` : text;
    return {
      status: response.status,
      retryable,
      retryAfter: retryable
        ? parseRetryAfter(response.headers.get('retry-after'), target.clock.now())
        : undefined,
      reason: `answered ${response.status} ${response.statusText}${quoted === '' ? '' : `: ${quoted}`}`,
    };
  } catch (error) {
    const reason = timedOut
      ? `no answer within ${target.timeout} ms`
      : `no answer: ${describeNetworkError(error)}`;
    return { retryable: true, reason, cause: error };
  } finally {
    target.timers.clearTimeout(timer);
  }
}

// fetch rejects with `TypeError: fetch failed` and the real reason (ECONNREFUSED) as its cause.
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error && cause.message !== ''
    ? `${error.message}: ${cause.message}`
    : error.message;
}
