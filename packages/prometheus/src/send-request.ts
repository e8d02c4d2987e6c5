import type { Clock, Timers } from '@vigil/core';

/** Where and how requests to one server are sent. */
export interface RequestTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Longest wait for the answer, body included, in ms. */
  readonly timeout: number;
  readonly timers: Timers;
  /** For `Retry-After` dates. */
  readonly clock: Clock;
}

/** Why one request failed. */
export interface RequestFailure {
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
 * @internal Sends one request to `target` (`url` overrides its URL) and answers `undefined` on a
 * 2xx, else why it failed. Never throws. The timeout runs on `target.timers` and aborts the
 * request, so tests with a manual clock control it.
 */
export async function sendRequest(
  target: RequestTarget,
  request: {
    method: 'PUT' | 'POST' | 'DELETE';
    url?: string | undefined;
    headers?: Readonly<Record<string, string>> | undefined;
    body?: string | Uint8Array | undefined;
  },
): Promise<RequestFailure | undefined> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = target.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, target.timeout);
  try {
    const response = await fetch(request.url ?? target.url, {
      method: request.method,
      headers:
        request.headers === undefined ? target.headers : { ...target.headers, ...request.headers },
      body: request.body ?? null,
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

/**
 * Whether a response status may succeed when sent again. Remote write 1.0: a sender retries on
 * 5xx, may retry on 429, and must not retry on any other 4xx (the request itself is wrong: bad
 * labels, samples out of order or too old).
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
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

// fetch rejects with `TypeError: fetch failed` and the real reason (ECONNREFUSED) as its cause.
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error && cause.message !== ''
    ? `${error.message}: ${cause.message}`
    : error.message;
}
