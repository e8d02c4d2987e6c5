import type { DurationInput, Timers } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalChoice,
  optionalDuration,
  optionalInteger,
  optionalString,
  optionalTimers,
} from '@vigil/core/options';

/**
 * An open better-sqlite3 `Database`, as far as the backend uses it. Declared here so that the
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

/** `synchronous`: when a commit reaches the disk. */
export type SqliteSynchronous = 'full' | 'normal';

/** What both ways of giving the backend its database share. */
export interface SqliteBackendCommonOptions {
  /**
   * How long a started job is leased, renewed while it runs (at half the lease by one timer for
   * the backend). A job that was running when the process stopped runs again after a restart
   * once its lease expires, as the same attempt (an interrupted attempt does not count against
   * the type's attempts). Default `'30s'`.
   */
  lease?: DurationInput | undefined;
  /**
   * Writes (new jobs, starts, retries, completions) are grouped into one transaction per turn of
   * the event loop; a group that reaches `batchSize` writes is committed at once. Default 1,000.
   */
  batchSize?: number | undefined;
  /**
   * Where the lease renewal timer is scheduled. Default core's `systemTimers`, whose timers never
   * keep the process alive; pass the runner's manual clock in tests.
   */
  timers?: Timers | undefined;
}

/** A backend on a database file it opens, locks and closes. */
export interface SqliteBackendFileOptions extends SqliteBackendCommonOptions {
  /**
   * The database file, created if missing (its directory must exist). The backend opens it in
   * WAL mode with `locking_mode = EXCLUSIVE`: while the backend is open no other connection, in
   * this process or another, can read or write the file, and a second backend on it fails at
   * `open()` with `JobBackendError`. The OS releases the lock when the process dies.
   */
  path: string;
  /**
   * `'full'` (default): every commit that acknowledges new jobs is fsynced before they are
   * acknowledged, so an acknowledged job survives a crash of the process, the OS or the power.
   * Group commit makes that one fsync per group, not per job. A commit holding only starts,
   * retries and completions is not fsynced on its own: it survives the process being killed, and
   * reaches the disk with the next acknowledging commit or checkpoint; a power loss before that
   * runs those jobs again (at least once), never loses one. `'normal'`: no commit waits for an
   * fsync; a killed process loses nothing, but an OS crash or power loss may lose the last
   * acknowledged jobs. Faster on slow disks.
   */
  synchronous?: SqliteSynchronous | undefined;
  database?: undefined;
}

/**
 * A backend on a database you opened and close: the backend creates its `vigil_jobs` table in
 * it. Its pragmas are yours: for the same guarantees as with `path`, set `locking_mode =
 * EXCLUSIVE`, then `journal_mode = WAL` and `synchronous = FULL` before passing it. In this
 * process, a second backend on the same connection is refused.
 */
export interface SqliteBackendDatabaseOptions extends SqliteBackendCommonOptions {
  /** An open better-sqlite3 `Database`; the backend never closes it. */
  database: SqliteDatabase;
  path?: undefined;
  synchronous?: undefined;
}

/** Options of `sqliteBackend()`: a `path` to open, or an open `database`; and the lease. */
export type SqliteBackendOptions = SqliteBackendFileOptions | SqliteBackendDatabaseOptions;

/** @internal The options checked, with defaults. */
export interface SqliteBackendConfig {
  /** The file to open, or the database given. */
  readonly source:
    | { readonly path: string; readonly synchronous: SqliteSynchronous }
    | { readonly database: SqliteDatabase };
  readonly lease: number;
  readonly batchSize: number;
  /** Undefined: the runner's injected timers, else core's `systemTimers`. */
  readonly timers: Timers | undefined;
}

const OWNER = 'sqliteBackend';
const KEYS = [
  'path',
  'database',
  'lease',
  'batchSize',
  'synchronous',
  'timers',
] as const satisfies readonly (
  | keyof SqliteBackendFileOptions
  | keyof SqliteBackendDatabaseOptions
)[];

/**
 * @internal Checks the options once, when the backend is made: core's `ConfigurationError`
 * (`INVALID_OPTION`, or `INVALID_DURATION` for `lease`) naming the field and the bad value.
 */
export function sqliteBackendConfig(options: SqliteBackendOptions): SqliteBackendConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const common = {
    lease: optionalDuration(OWNER, 'lease', given['lease'], { positive: true }) ?? 30_000,
    batchSize: optionalInteger(OWNER, 'batchSize', given['batchSize'], { min: 1 }) ?? 1_000,
    timers: optionalTimers(OWNER, 'timers', given['timers']),
  };
  const database = given['database'];
  if (database !== undefined) {
    for (const field of ['path', 'synchronous'] as const) {
      if (given[field] !== undefined) {
        throw invalidOption(
          OWNER,
          `${field} applies to a file the backend opens; with database, set it on your connection (or pass path instead of database)`,
        );
      }
    }
    if (!hasMethods(database, ['prepare', 'transaction', 'pragma']) || !isOpen(database)) {
      throw invalidOption(
        OWNER,
        `database should be an open better-sqlite3 Database, got ${describeValue(database)}`,
      );
    }
    return { ...common, source: { database: database as SqliteDatabase } };
  }
  const path = optionalString(OWNER, 'path', given['path']);
  if (path === undefined) {
    throw invalidOption(
      OWNER,
      "path is required: a database file such as 'jobs.db' (or pass an open better-sqlite3 database)",
    );
  }
  const synchronous =
    optionalChoice(OWNER, 'synchronous', given['synchronous'], ['full', 'normal'] as const) ??
    'full';
  return { ...common, source: { path, synchronous } };
}

function isOpen(database: unknown): boolean {
  return (database as { open?: unknown }).open === true;
}
