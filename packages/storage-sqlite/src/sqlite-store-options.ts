import type { DurationInput } from '@vigil/core';
import {
  describeValue,
  hasMethods,
  invalidOption,
  optionalChoice,
  optionalDuration,
  optionalString,
  required,
} from '@vigil/core/options';
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
  readonly synchronous?: 'normal' | 'full' | undefined;
  /**
   * How long a call waits for a lock held by another connection (SQLite's `busy_timeout`) before
   * failing with `STORE_UNAVAILABLE`; default `'5s'`. The wait blocks the thread.
   */
  readonly timeout?: DurationInput | undefined;
  readonly database?: undefined;
}

/**
 * A store on a database you opened: the store creates its `vigil_*` tables in it and does not
 * close it. Its pragmas (WAL, `synchronous`, `busy_timeout`) are yours to set.
 */
export interface SqliteDatabaseOptions extends StoreOptions {
  readonly database: SqliteDatabase;
  readonly path?: undefined;
  readonly synchronous?: undefined;
  readonly timeout?: undefined;
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

/** Checks the options once, at construction: `ConfigurationError` naming the bad one. */
export function resolveSqliteOptions(options: SqliteStoreOptions): ResolvedSqliteOptions {
  required(NAME, 'options', options, "pass { path: 'vigil.db' } or { database }");
  const common = resolveStoreOptions(
    NAME,
    options as unknown as StoreOptions & Record<string, unknown>,
    OWN,
  );
  if (options.database !== undefined) {
    for (const key of ['path', 'synchronous', 'timeout'] as const) {
      if (options[key] !== undefined) {
        throw invalidOption(
          NAME,
          `'${key}' applies to a file the store opens; with 'database', set it on your connection`,
        );
      }
    }
    const database: unknown = options.database;
    if (!hasMethods(database, ['prepare', 'transaction']) || !(database as SqliteDatabase).open) {
      throw invalidOption(
        NAME,
        `database should be an open better-sqlite3 Database, got ${describeValue(database)}`,
      );
    }
    return { ...common, database: database as SqliteDatabase };
  }
  const path = required(
    NAME,
    'path',
    optionalString(NAME, 'path', options.path),
    "a database file (or ':memory:'); or pass an open 'database'",
  );
  const synchronous =
    optionalChoice(NAME, 'synchronous', options.synchronous, ['normal', 'full'] as const) ??
    'normal';
  const timeoutMs = Math.ceil(optionalDuration(NAME, 'timeout', options.timeout) ?? 5_000);
  return { ...common, path, synchronous, timeoutMs };
}
