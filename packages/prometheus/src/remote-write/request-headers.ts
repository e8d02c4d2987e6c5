import { describeValue, invalidOption, optionalString } from '@vigil/core/options';
import { stringRecord } from './string-record-option.js';

/** The `User-Agent` of remote-write requests, unless `headers` sets one. */
export const REMOTE_WRITE_USER_AGENT = 'vigil-prometheus-remote-write';

/** Headers remote write 1.0 fixes; `headers` may not set them. */
const PROTOCOL_HEADERS: Readonly<Record<string, string>> = {
  'content-encoding': 'snappy',
  'content-type': 'application/x-protobuf',
  'x-prometheus-remote-write-version': '0.1.0',
};
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-zA-Z-]+$/;

/**
 * @internal Every header of a remote-write request, names in lower case: the protocol's, a
 * `User-Agent`, the `headers` option, and `Authorization` from `basicAuth` or `bearerToken`.
 * At most one source of `Authorization` is accepted.
 */
export function requestHeaders(
  owner: string,
  given: Readonly<Record<string, unknown>>,
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = { 'user-agent': REMOTE_WRITE_USER_AGENT };
  const extra = stringRecord(
    owner,
    'headers',
    given.headers,
    "such as { 'X-Scope-OrgID': 'team-a' }",
  );
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) {
      throw invalidOption(owner, `headers: ${describeValue(name)} is not a header name`);
    }
    if (lower in PROTOCOL_HEADERS || lower === 'content-length') {
      throw invalidOption(owner, `headers should not set ${name}: remote write fixes it`);
    }
    if (/[\r\n\0]/.test(value)) {
      throw invalidOption(owner, `headers.${name} should hold no line break or NUL character`);
    }
    headers[lower] = value;
  }
  const authorization = authorizationOf(owner, given.basicAuth, given.bearerToken);
  if (authorization !== undefined) {
    if ('authorization' in headers) {
      throw invalidOption(owner, 'pass Authorization once: in headers, basicAuth or bearerToken');
    }
    headers.authorization = authorization;
  }
  return Object.freeze({ ...headers, ...PROTOCOL_HEADERS });
}

function authorizationOf(
  owner: string,
  basicAuth: unknown,
  bearerToken: unknown,
): string | undefined {
  const token = optionalString(owner, 'bearerToken', bearerToken);
  if (basicAuth === undefined) return token === undefined ? undefined : `Bearer ${token}`;
  if (token !== undefined) {
    throw invalidOption(owner, 'pass basicAuth or bearerToken, not both');
  }
  const expected =
    "an object { username, password }, such as { username: 'writer', password: 's3cret' }";
  if (typeof basicAuth !== 'object' || basicAuth === null) {
    throw invalidOption(owner, `basicAuth should be ${expected}, got ${describeValue(basicAuth)}`);
  }
  const { username, password, ...rest } = basicAuth as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw invalidOption(
      owner,
      `basicAuth: unknown option '${unknown}'; the options are username, password`,
    );
  }
  // Never echo a credential in a message: only what kind of value was wrong.
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw invalidOption(owner, "basicAuth.username should be a non-empty string without ':'");
  }
  if (typeof password !== 'string') {
    throw invalidOption(owner, 'basicAuth.password should be a string');
  }
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
