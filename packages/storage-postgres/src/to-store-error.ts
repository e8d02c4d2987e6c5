import { StoreError } from '@vigil/storage';

// Node socket errors that mean the server cannot be reached or the connection broke.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATE classes and codes that mean "not now": connection exceptions (08), operator
// intervention (57: admin/crash shutdown, cannot connect now, statement timeout), insufficient
// resources (53: too many connections, out of memory or disk).
const UNAVAILABLE_STATES = /^(08|53|57)/;

// Errors pg raises itself, without a code, when a connection died or a call timed out.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'not queryable',
  'Cannot use a pool after calling end',
];

// Values PostgreSQL cannot hold: text with a NUL character (as a key or label), a number out of
// bigint range (a TTL of centuries).
const INVALID_VALUE_STATES = new Set(['22021', '22P05', '22003']);

/** Whether `error` means the server did not answer (so the connection should not be reused). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreError) return error.code === 'STORE_UNAVAILABLE';
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) {
    return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text));
}

/**
 * Maps what `pg` threw to the store's errors: a server that is down, unreachable, shutting down
 * or too slow becomes `STORE_UNAVAILABLE`; a value PostgreSQL cannot store becomes
 * `STORE_INVALID_ARGUMENT`; anything else (a bug, a schema changed by hand) is thrown as it is.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  if (isUnavailable(error)) {
    const detail = error instanceof Error ? error.message || error.name : String(error);
    return new StoreError(
      'STORE_UNAVAILABLE',
      `PostgreSQL did not answer (${detail}); check that the server is up and reachable`,
      { cause: error },
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && INVALID_VALUE_STATES.has(code)) {
    return new StoreError(
      'STORE_INVALID_ARGUMENT',
      `PostgreSQL cannot store a value of this call (${(error as Error).message}): text should have no NUL character, numbers should fit in 64 bits`,
      { cause: error },
    );
  }
  return error;
}

/** The error of a call made after `close()`. */
export function closedError(): StoreError {
  return new StoreError(
    'STORE_UNAVAILABLE',
    'the PostgreSQL store is closed; create a new PostgresStore to use it again',
  );
}
