import { type Clock, systemTimers } from '@vigil/core';
import { invalidOption, optionalString, required } from '@vigil/core/options';
import { DeliveryError } from '../../errors.js';

/** Hosts where plain http: is allowed even for a channel that wants https: (local test servers). */
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * @internal Checks a channel's URL option at construction: an absolute http: or https: URL (only
 * https:, but for loopback hosts, when `httpsOnly`), without `user:password@`, which fetch
 * refuses. Messages never quote the URL: its path or query may be its secret.
 *
 * @throws ConfigurationError `INVALID_OPTION`.
 */
export function checkPostUrl(
  owner: string,
  field: string,
  value: unknown,
  { httpsOnly }: { readonly httpsOnly: boolean },
): URL {
  const text = required(owner, field, optionalString(owner, field, value));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidOption(
      owner,
      `${field} should be an absolute URL such as https://example.com/hook, got a string that does not parse as one (not quoted: it may hold a secret)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidOption(
      owner,
      `${field} should be an http: or https: URL, got a ${url.protocol} URL`,
    );
  }
  if (httpsOnly && url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw invalidOption(
      owner,
      `${field} should be an https: URL (http: is allowed on 127.0.0.1, ::1 and localhost only), got an http: URL to ${url.host}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidOption(
      owner,
      `${field} should not carry credentials (user:password@), which fetch refuses`,
    );
  }
  return url;
}

/** One JSON POST a channel makes. */
export interface JsonPost {
  /** The channel's type, for messages: `webhook to 127.0.0.1:4000 answered 500`. */
  readonly channel: string;
  readonly url: URL;
  /** The body, already serialised: a signature covers these exact bytes. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** ms. */
  readonly timeout: number;
  /** The caller's signal (the notifier's deadline or close). */
  readonly signal: AbortSignal;
  /** Reads `Retry-After` when it is an HTTP date. */
  readonly clock: Clock;
  /**
   * Puts the receiver's answer in the message when it is a short error code (Slack's
   * `no_service`, `invalid_payload`). Off for receivers whose bodies we know nothing about.
   */
  readonly quoteErrorCode?: boolean;
}

/** A body that is one error code, such as Slack's `channel_is_archived`; never free text. */
const ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * @internal POSTs `post.body` once: resolves on a 2xx, else throws `DeliveryError`, retryable for
 * a network failure, a timeout, an abort, a 5xx and a 429 (with the `Retry-After` asked for), not
 * for another status. Messages name the channel and the host only: the path and query of a
 * webhook URL often carry its secret.
 */
export async function postJson(post: JsonPost): Promise<void> {
  const to = `${post.channel} to ${post.url.host}`;
  if (post.signal.aborted) {
    throw new DeliveryError(
      `${to} was aborted before sending`,
      { retryable: true },
      { cause: post.signal.reason },
    );
  }
  // One controller for both ends, so that we know which one fired.
  const controller = new AbortController();
  let timedOut = false;
  const timer = systemTimers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, post.timeout);
  const onAbort = () => controller.abort();
  post.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await fetch(post.url, {
      method: 'POST',
      headers: post.headers,
      body: post.body,
      signal: controller.signal,
      // A redirect would resend the body (and its signature) to a host nobody configured.
      redirect: 'manual',
    });
    if (response.status >= 200 && response.status < 300) {
      // Frees the connection; the answer is not needed.
      await response.body?.cancel().catch(() => {});
      return;
    }
    let code: string | undefined;
    if (post.quoteErrorCode === true) code = errorCode(await response.text());
    else await response.body?.cancel().catch(() => {});
    throw refused(to, response, code, post.clock.now());
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    if (timedOut) {
      throw new DeliveryError(`${to} timed out after ${post.timeout} ms`, { retryable: true });
    }
    if (post.signal.aborted) {
      throw new DeliveryError(
        `${to} was aborted`,
        { retryable: true },
        { cause: post.signal.reason },
      );
    }
    // undici's `fetch failed`; its cause (`connect ECONNREFUSED 127.0.0.1:4000`) names the host
    // only, never the path.
    throw new DeliveryError(
      `${to} failed: ${networkReason(error)}`,
      { retryable: true },
      { cause: error },
    );
  } finally {
    systemTimers.clearTimeout(timer);
    post.signal.removeEventListener('abort', onAbort);
  }
}

/** The error for an answer that is not a 2xx. */
function refused(to: string, response: Response, code: string | undefined, now: number) {
  const status = response.status;
  const retryable = status === 429 || status >= 500;
  const retryAfter = retryable
    ? parseRetryAfter(response.headers.get('retry-after'), now)
    : undefined;
  const why = code === undefined ? '' : ` (${code})`;
  return new DeliveryError(`${to} answered ${status}${why}`, { retryable, status, retryAfter });
}

/**
 * A `Retry-After` header in ms from `now`: delay-seconds (`'120'`) or an HTTP date (a date past
 * gives 0). Undefined when absent or unreadable.
 */
function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates start with the day's name; V8's Date.parse would also read '1.5' as a date.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function errorCode(body: string): string | undefined {
  const text = body.trim();
  return ERROR_CODE.test(text) ? text : undefined;
}

/** `ECONNREFUSED`, `ENOTFOUND`, …: the cause's code, never its message. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'network error';
}
