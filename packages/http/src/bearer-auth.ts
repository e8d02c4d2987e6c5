import { createHash, timingSafeEqual } from 'node:crypto';
import { describeValue, invalidOption } from '@vigil/core/options';

/** The outcome of checking an `Authorization` header. */
export type BearerCheck = 'ok' | 'missing' | 'invalid';

/** RFC 6750 `b64token`. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const BEARER = /^Bearer +([^\s]+) *$/i;
/** Shortest token accepted: 16 characters (a 96-bit random token in base64). */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Checks `Authorization: Bearer <token>` against one configured token in constant time: both
 * are hashed with SHA-256 and the equal-length digests compared with `crypto.timingSafeEqual`, so
 * neither the content nor the length of the token leaks through timing.
 */
export class BearerAuth {
  readonly #digest: Buffer;

  /** @throws ConfigurationError `INVALID_OPTION` for a token that is too short or not a b64token. */
  constructor(owner: string, token: unknown) {
    if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH || !TOKEN.test(token)) {
      throw invalidOption(
        owner,
        `token should be at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / (e.g. \`openssl rand -hex 32\`), got ${typeof token === 'string' ? `a string of ${token.length} characters` : describeValue(token)}`,
      );
    }
    this.#digest = digest(token);
  }

  /** Whether `authorization` (the header's value) carries the configured token. */
  check(authorization: string | undefined): BearerCheck {
    if (authorization === undefined) return 'missing';
    const match = BEARER.exec(authorization);
    if (match === null) return 'missing';
    return timingSafeEqual(digest(match[1] as string), this.#digest) ? 'ok' : 'invalid';
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
