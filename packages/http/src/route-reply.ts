import { validateHeaderName, validateHeaderValue } from 'node:http';
import { HttpError } from './errors.js';

/** What a route handler answers. */
export interface RouteReply {
  /** HTTP status; default 200. */
  status?: number;
  /** Response headers. */
  headers?: Readonly<Record<string, string>>;
  /**
   * The body: a string or bytes are sent as they are (give a `Content-Type`; default
   * `text/plain`), anything else as JSON; undefined sends no body.
   */
  body?: unknown;
}

/** @internal A reply ready to write: status, headers, and a body in bytes or text. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** @internal Normalises a handler's answer; throws for a status outside 200–599. */
export function toReply(answer: RouteReply | undefined): Reply {
  const status = answer?.status ?? 200;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError(`a route handler answered status ${String(status)}; use 200–599`);
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  for (const [name, value] of Object.entries(answer?.headers ?? {})) {
    validateHeaderName(name);
    validateHeaderValue(name, String(value));
    headers[name.toLowerCase()] = String(value);
  }
  const body = answer?.body;
  if (body === undefined) return { status, headers, body: undefined };
  if (typeof body === 'string' || body instanceof Uint8Array) {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return { status, headers, body };
  }
  headers['content-type'] ??= JSON_TYPE;
  return { status, headers, body: JSON.stringify(body) };
}

/** @internal The JSON error reply `{ code, message }` of `error`, never with a stack. */
export function errorReply(error: HttpError, headers: Record<string, string> = {}): Reply {
  return {
    status: error.status,
    headers: { 'cache-control': 'no-store', 'content-type': JSON_TYPE, ...headers },
    body: JSON.stringify({ code: error.code, message: error.message }),
  };
}

/** @internal The 500 reply of an unexpected error: a fixed message, nothing from the error. */
export function internalErrorReply(): Reply {
  return errorReply(
    new HttpError('HTTP_INTERNAL_ERROR', 'the monitoring endpoint failed; see the server logs'),
  );
}

/** @internal The 405 reply for `method` on a route that takes `methods` (and HEAD with GET). */
export function notAllowed(method: string, methods: ReadonlyMap<string, unknown>): Reply {
  const allowed = [...methods.keys()];
  if (methods.has('GET')) allowed.push('HEAD');
  return errorReply(
    new HttpError(
      'HTTP_METHOD_NOT_ALLOWED',
      `${method} is not allowed here; use ${allowed.join(' or ')}`,
    ),
    { allow: allowed.join(', ') },
  );
}
