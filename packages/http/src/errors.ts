import { VigilError } from '@vigil/core';

/** Every stable error code `@vigil/http` answers with, each one explained in `docs/errors.md`. */
export const HTTP_ERROR_CODES = [
  'HTTP_BAD_REQUEST',
  'HTTP_INVALID_JSON',
  'HTTP_UNAUTHORIZED',
  'HTTP_WRITES_DISABLED',
  'HTTP_NOT_FOUND',
  'HTTP_METHOD_NOT_ALLOWED',
  'HTTP_PAYLOAD_TOO_LARGE',
  'HTTP_UNSUPPORTED_MEDIA_TYPE',
  'HTTP_INTERNAL_ERROR',
] as const;

/** A stable error code of `@vigil/http`. */
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

const STATUS: Readonly<Record<HttpErrorCode, number>> = {
  HTTP_BAD_REQUEST: 400,
  HTTP_INVALID_JSON: 400,
  HTTP_UNAUTHORIZED: 401,
  HTTP_WRITES_DISABLED: 403,
  HTTP_NOT_FOUND: 404,
  HTTP_METHOD_NOT_ALLOWED: 405,
  HTTP_PAYLOAD_TOO_LARGE: 413,
  HTTP_UNSUPPORTED_MEDIA_TYPE: 415,
  HTTP_INTERNAL_ERROR: 500,
};

/**
 * An error answered to an HTTP client as `status` with the JSON body `{ code, message }`. Route
 * handlers throw it for a bad request (`new HttpError('HTTP_NOT_FOUND', 'no alert 42')`); any
 * other error a handler throws is answered 500 `HTTP_INTERNAL_ERROR` without its message.
 */
export class HttpError extends VigilError {
  static override readonly brand = 'vigil.http.HttpError';
  declare readonly code: HttpErrorCode;
  /** The HTTP status the code answers with (400–500). */
  readonly status: number;

  constructor(code: HttpErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.status = STATUS[code];
  }

  /** The JSON body sent to the client: code and message, never a stack. */
  toJSON(): { code: HttpErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/**
 * Whether `error` is an `HttpError`, also one from another installed copy or build (CJS/ESM) of
 * this package: the brand answers for copies that have one, and a `VigilError` with an `HTTP_`
 * code and a numeric status for older ones.
 */
export function isHttpError(error: unknown): error is HttpError {
  if (error instanceof HttpError) return true;
  return (
    error instanceof VigilError &&
    error.code.startsWith('HTTP_') &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}
