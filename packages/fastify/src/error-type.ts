/** An error code such as `ECONNREFUSED`, `FST_ERR_BAD_STATUS_CODE` or `DB_TIMEOUT`. */
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * The `error_type` of a failed request, from what the route threw: its `code` when it is an
 * upper-case identifier (`ECONNREFUSED`, a `VigilError`'s code), else its class name
 * (`TypeError`, `PaymentError`), else `'Error'`. Bounded: `HttpMetrics` keeps at most 100
 * distinct error types and records the rest as `_OTHER`.
 */
export function errorTypeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CODE.test(code)) return code;
  const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'Error';
}
