/**
 * The request methods the OpenTelemetry HTTP semantic conventions know (RFC 9110 and PATCH). Any
 * other method is recorded as `_OTHER`, so that made-up methods cannot create series.
 */
export const KNOWN_HTTP_METHODS: readonly string[] = Object.freeze([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/** The `http_request_method` value for methods outside the known set. */
export const OTHER_METHOD = '_OTHER';

/**
 * The `http_request_method` label of `method`: the method itself when it is one of `known`
 * (compared case-sensitively, as the conventions say), else `_OTHER`.
 */
export function normalizeMethod(
  method: string,
  known: readonly string[] = KNOWN_HTTP_METHODS,
): string {
  return known.includes(method) ? method : OTHER_METHOD;
}
