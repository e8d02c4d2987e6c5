import { StoreError } from '@vigil/storage';

// SQLite result codes (and their extended forms, e.g. SQLITE_IOERR_WRITE) that mean the database
// cannot be used right now: locked past the busy timeout, unreadable, full, read-only.
const UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_PERM',
  'SQLITE_NOMEM',
  'SQLITE_PROTOCOL',
  'SQLITE_NOLFS',
];
const CORRUPT = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];

/**
 * Translates an error thrown by better-sqlite3 into a `StoreError`: a busy, unreadable or closed
 * database is `STORE_UNAVAILABLE`, a damaged file `STORE_CORRUPT`. Anything else (a bug) is
 * returned as it is.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  if (code !== undefined) {
    if (matches(code, UNAVAILABLE)) {
      return new StoreError(
        'STORE_UNAVAILABLE',
        `SQLite store unavailable (${code}): ${(error as Error).message}; the file may be locked by another process past the timeout, unreadable or full`,
        { cause: error },
      );
    }
    if (matches(code, CORRUPT)) {
      return new StoreError(
        'STORE_CORRUPT',
        `SQLite file is damaged or not a database (${code}): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (error instanceof TypeError && /connection is not open/.test(error.message)) {
    return closedError(error);
  }
  return error;
}

/** The error of a call on a closed store or database. */
export function closedError(cause?: unknown): StoreError {
  return new StoreError(
    'STORE_UNAVAILABLE',
    'SQLite store is closed: create a new SqliteStore (or pass an open database) to use it again',
    cause === undefined ? undefined : { cause },
  );
}

function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function matches(code: string, families: readonly string[]): boolean {
  return families.some((family) => code === family || code.startsWith(`${family}_`));
}
