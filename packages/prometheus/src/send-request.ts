import type { Timers } from '@vigil/core';
import { PushError } from './errors.js';

/** What a failed request's message may quote of the answer: enough to say why, no more. */
const BODY_EXCERPT = 300;

/** One HTTP request to a Prometheus-side server (Pushgateway, remote-write receiver). */
export interface OutgoingRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array | undefined;
  /** Abort after this many ms. */
  timeout: number;
  /** What to call the server in messages: `'Pushgateway'`. */
  server: string;
  code: 'PUSHGATEWAY_FAILED' | 'REMOTE_WRITE_FAILED';
}

/** The answer of a request that succeeded (2xx). */
export interface IncomingAnswer {
  status: number;
  headers: Headers;
}

/**
 * Sends `request` with `fetch` and answers once a 2xx arrives. The timeout runs on `timers`, so
 * tests with fake timers control it.
 *
 * @throws PushError for no answer, a timeout, or a status that is not 2xx: `retryable` for 5xx,
 *   429 and network failures, as Prometheus's own clients treat them.
 */
export async function sendRequest(
  request: OutgoingRequest,
  timers: Timers,
): Promise<IncomingAnswer> {
  const abort = new AbortController();
  const timer = timers.setTimeout(() => abort.abort(), request.timeout);
  const what = `${request.method} ${request.server} ${redacted(request.url)}`;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: abort.signal,
    });
    if (response.ok) {
      await response.body?.cancel();
      return { status: response.status, headers: response.headers };
    }
    const excerpt = (await response.text().catch(() => '')).slice(0, BODY_EXCERPT).trim();
    const retryable = response.status >= 500 || response.status === 429;
    throw new PushError(
      request.code,
      `${what} answered ${response.status}${excerpt === '' ? '' : `: ${excerpt}`}`,
      {
        status: response.status,
        retryable,
        retryAfter: retryAfterMs(response.headers.get('retry-after'), Date.now()),
      },
    );
  } catch (error) {
    if (error instanceof PushError) throw error;
    const reason = abort.signal.aborted
      ? `no answer within ${request.timeout} ms`
      : `failed: ${(error as Error)?.message ?? String(error)}`;
    throw new PushError(request.code, `${what} ${reason}`, { retryable: true, cause: error });
  } finally {
    timers.clearTimeout(timer);
  }
}

/** A `Retry-After` header (seconds, or an HTTP date) as a delay in ms from `now`. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `url` without its user and password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
