import { ConfigurationError, type DurationInput, parseDuration } from '@vigil/core';
import type { StoreOptions } from '@vigil/storage';
import { type ResolvedStoreOptions, resolveStoreOptions } from '@vigil/storage/adapter';

/**
 * An open better-sqlite3 `Database`, as far as the store uses it. Declared here so that the
 * package's types do not depend on `@types/better-sqlite3`; a `new Database(file)` fits.
 */
export interface SqliteDatabase {
  readonly open: boolean;
  readonly name: string;
  prepare(source: string): unknown;
  transaction(fn: (...args: never[]) => unknown): unknown;
  exec(source: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}

/** A store on a database file the store opens (and closes). */
export interface SqliteFileOptions extends StoreOptions {
  /** The database file, created if missing (its directory must exist); `':memory:'` for tests. */
  readonly path: string;
  /**
   * `'normal'` (default): in WAL mode a committed write survives the process being killed, but
   * the last transactions may be lost on power loss or an OS crash. `'full'`: fsync on every
   * commit, durable across power loss, slower.
   */
  readonly synchronous?: 'normal' | 'full';
  /**
   * How long a call waits for a lock held by another connection (SQLite's `busy_timeout`) before
   * failing with `STORE_UNAVAILABLE`; default `'5s'`. The wait blocks the thread.
   */
  readonly timeout?: DurationInput;
  readonly database?: never;
}

/**
 * A store on a database you opened: the store creates its `vigil_*` tables in it and does not
 * close it. Its pragmas (WAL, `synchronous`, `busy_timeout`) are yours to set.
 */
export interface SqliteDatabaseOptions extends StoreOptions {
  readonly database: SqliteDatabase;
  readonly path?: never;
  readonly synchronous?: never;
  readonly timeout?: never;
}

/** Options of `new SqliteStore()`: a `path` to open, or an open `database`, plus `StoreOptions`. */
export type SqliteStoreOptions = SqliteFileOptions | SqliteDatabaseOptions;

/** The options checked, with defaults. */
export type ResolvedSqliteOptions = ResolvedStoreOptions &
  (
    | { readonly path: string; readonly synchronous: 'normal' | 'full'; readonly timeoutMs: number }
    | { readonly database: SqliteDatabase }
  );

const NAME = 'SqliteStore';
const OWN = ['path', 'database', 'synchronous', 'timeout'];

export function resolveSqliteOptions(options: SqliteStoreOptions): ResolvedSqliteOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid(`options should be an object with a path or a database, got ${String(options)}`);
  }
  const common = resolveStoreOptions(
    NAME,
    options as unknown as StoreOptions & Record<string, unknown>,
    OWN,
  );
  if (options.database !== undefined) {
    for (const key of ['path', 'synchronous', 'timeout'] as const) {
      if (options[key] !== undefined) {
        throw invalid(
          `'${key}' applies to a file the store opens; with 'database', set it on your connection`,
        );
      }
    }
    const database = options.database as Partial<SqliteDatabase> | null;
    if (
      typeof database !== 'object' ||
      database === null ||
      typeof database.prepare !== 'function' ||
      typeof database.transaction !== 'function' ||
      database.open !== true
    ) {
      throw invalid('database should be an open better-sqlite3 Database');
    }
    return { ...common, database: options.database };
  }
  if (typeof options.path !== 'string' || options.path.length === 0) {
    throw invalid(
      `path should be a database file (or ':memory:'), got ${JSON.stringify(options.path)}; or pass an open 'database'`,
    );
  }
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw invalid(`synchronous should be 'normal' or 'full', got ${JSON.stringify(synchronous)}`);
  }
  const timeoutMs = parseDuration(options.timeout ?? '5s', `${NAME}: timeout`);
  if (!Number.isSafeInteger(Math.ceil(timeoutMs)) || timeoutMs > 2_147_483_647) {
    throw new ConfigurationError('INVALID_DURATION', `${NAME}: timeout is too long`);
  }
  return { ...common, path: options.path, synchronous, timeoutMs: Math.ceil(timeoutMs) };
}

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', `${NAME}: ${message}`);
}
