/** An error code such as `ECONNREFUSED` or `ERR_STREAM_PREMATURE_CLOSE`. */
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
/** The longest `error_type` kept; longer names are cut. */
const MAX_LENGTH = 64;

/**
 * The `error_type` label of a request that failed with `error`, the one rule of every adapter.
 *
 * The OpenTelemetry semantic conventions say of `error.type`: low cardinality, and "when set to
 * a type (e.g., an exception type), its canonical class name". So it is the error's class:
 *
 * - its `name` when the class set one (`TypeError`, `AbortError`, a `VigilError` subclass such as
 *   `BreakerOpenError`: a `name` also survives minification),
 * - else its constructor's name (`class PaymentError extends Error {}` without a `name`),
 * - else, for a plain `Error`, its upper-case `code` when it has one (`ECONNREFUSED`),
 * - else `'Error'`; `'_OTHER'` for a thrown value that is not an object.
 *
 * A `VigilError`'s `code` (`BREAKER_OPEN`) is finer than its class, but the class is what the
 * conventions ask for, and what other instrumentations record: dashboards then agree.
 * `HttpMetrics` keeps at most 100 distinct values and records the rest as `_OTHER`.
 */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '_OTHER';
  const name = (error as { name?: unknown }).name;
  if (typeof name === 'string' && name !== '' && name !== 'Error') return clip(name);
  const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof className === 'string' && className !== '' && className !== 'Error') {
    if (className !== 'Object') return clip(className);
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && CODE.test(code) ? code : 'Error';
}

function clip(name: string): string {
  return name.length > MAX_LENGTH ? name.slice(0, MAX_LENGTH) : name;
}
