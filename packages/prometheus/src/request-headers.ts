import { describeValue, invalidOption, optionalString } from '@vigil/core/options';
import { stringRecord } from './string-record-option.js';

/** User and password for HTTP basic authentication. */
export interface BasicAuth {
  username: string;
  password: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-zA-Z-]+$/;

/**
 * @internal Every header of a client's requests, names in lower case: a `User-Agent`, the
 * `headers` option, `Authorization` from `basicAuth` or `bearerToken` (at most one source of it),
 * then the protocol's own `fixed` headers, which `headers` may not set (nor `Content-Type` and
 * `Content-Length`, which each request sets).
 */
export function requestHeaders(
  owner: string,
  given: Readonly<Record<string, unknown>>,
  { userAgent, fixed = {} }: { userAgent: string; fixed?: Readonly<Record<string, string>> },
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = { 'user-agent': userAgent };
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
    if (lower in fixed || lower === 'content-type' || lower === 'content-length') {
      throw invalidOption(owner, `headers should not set ${name}: the protocol fixes it`);
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
  return Object.freeze({ ...headers, ...fixed });
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
