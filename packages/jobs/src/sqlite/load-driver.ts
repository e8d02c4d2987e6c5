import { JobBackendError } from '../errors.js';
import type { SqliteDatabase } from './sqlite-backend-options.js';

/** @internal better-sqlite3's `Database` constructor, as far as the backend uses it. */
export type SqliteDriver = new (
  path: string,
  options?: { readonly timeout?: number },
) => SqliteDatabase;

/**
 * @internal Loads better-sqlite3 when a backend opens a file, not when `@vigil/jobs/sqlite` is
 * imported: it is an optional peer dependency, needed only by those who use this backend.
 *
 * @throws JobBackendError when it is not installed or does not load (a native build for another
 *   Node version), saying how to install it.
 */
export async function loadDriver(): Promise<SqliteDriver> {
  let loaded: unknown;
  try {
    loaded = await import('better-sqlite3');
  } catch (error) {
    throw new JobBackendError(
      notFound(error)
        ? 'sqliteBackend needs better-sqlite3, an optional peer dependency of @vigil/jobs: install it (npm install better-sqlite3@^12)'
        : `sqliteBackend could not load better-sqlite3 (${(error as Error).message}); reinstall it for this Node version (npm rebuild better-sqlite3)`,
      { cause: error },
    );
  }
  const driver = (loaded as { default?: unknown }).default ?? loaded;
  if (typeof driver !== 'function') {
    throw new JobBackendError(
      `sqliteBackend loaded better-sqlite3 but found no Database constructor in it (got ${typeof driver})`,
    );
  }
  return driver as SqliteDriver;
}

/** Whether the import failed because the package is missing (looking through wrapping errors). */
function notFound(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
    cause = cause.cause;
  }
  return false;
}
