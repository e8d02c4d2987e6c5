import { StoreError } from '@vigil/storage';
import type { SqliteConnection } from './sqlite-connection.js';

/**
 * The schema, one entry per version; version N is `MIGRATIONS[N - 1]`. Append new versions, never
 * edit a released one. Every table is prefixed `vigil_` so the store can share a database file.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE vigil_meta (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO vigil_meta (name, value) VALUES ('point_seq', 0);

  CREATE TABLE vigil_series (
    id INTEGER PRIMARY KEY,
    metric TEXT NOT NULL,
    key TEXT NOT NULL,
    labels TEXT NOT NULL,
    UNIQUE (metric, key)
  );

  -- Time-major: one batch of points lands in one region of the tree (cheap WAL writes); a
  -- series' points within one minute are contiguous, so a range read seeks once per minute.
  -- seq orders points of equal timestamp by append.
  CREATE TABLE vigil_points (
    minute INTEGER NOT NULL,
    series_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (minute, series_id, ts, seq)
  ) WITHOUT ROWID;

  CREATE TABLE vigil_rollup_1m (
    bucket INTEGER NOT NULL,
    series_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    sum REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    last REAL NOT NULL,
    last_at INTEGER NOT NULL,
    PRIMARY KEY (bucket, series_id)
  ) WITHOUT ROWID;

  CREATE TABLE vigil_rollup_1h (
    bucket INTEGER NOT NULL,
    series_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    sum REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    last REAL NOT NULL,
    last_at INTEGER NOT NULL,
    PRIMARY KEY (bucket, series_id)
  ) WITHOUT ROWID;

  CREATE TABLE vigil_records (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    version INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  CREATE INDEX vigil_records_expiry ON vigil_records (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE vigil_dead_letters (
    id TEXT NOT NULL UNIQUE,
    queue TEXT NOT NULL,
    failed_at REAL NOT NULL,
    letter TEXT NOT NULL
  );
  CREATE INDEX vigil_dead_letters_order ON vigil_dead_letters (failed_at, id);
  CREATE INDEX vigil_dead_letters_queue ON vigil_dead_letters (queue, failed_at, id);

  CREATE TABLE vigil_idempotency (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX vigil_idempotency_expiry ON vigil_idempotency (expires_at);

  -- A released lease keeps its row (owner NULL) so that the next holder's token is higher.
  CREATE TABLE vigil_leases (
    name TEXT PRIMARY KEY,
    owner TEXT,
    token INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];

/** The schema version this build of the package writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to `SCHEMA_VERSION`, recording each applied version in
 * `vigil_schema_version`. An up-to-date file is only read; otherwise the migrations run in one
 * write transaction, so two processes opening one new file at once serialise and the second finds
 * the work done. A file written by a newer version of the package is refused.
 */
export function migrate(connection: SqliteConnection, now: number): void {
  if (connection.read(() => currentVersion(connection)) === SCHEMA_VERSION) return;
  connection.write(() => {
    connection.run((db) =>
      db.exec(
        'CREATE TABLE IF NOT EXISTS vigil_schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
      ),
    );
    const current = currentVersion(connection);
    const record = connection.statement(
      'INSERT INTO vigil_schema_version (version, applied_at) VALUES (?, ?)',
    );
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      try {
        connection.run((db) => db.exec(MIGRATIONS[version - 1] as string));
      } catch (error) {
        throw mismatchedSchema(current, version, error);
      }
      record.run(version, now);
    }
  });
}

/**
 * The error of a migration that fails on a file that is not busy or damaged (those are already a
 * `StoreError`): its `vigil_` tables are not those of the version it records, typically because
 * `vigil_schema_version` was dropped or emptied, so the store would re-create tables that exist.
 * Nothing was changed (the migration's transaction rolls back).
 */
function mismatchedSchema(current: number, version: number, error: unknown): unknown {
  if (error instanceof StoreError || !(error instanceof Error)) return error;
  const recorded =
    current === 0 ? 'no schema version (it is missing or empty)' : `schema version ${current}`;
  return new StoreError(
    'STORE_CORRUPT',
    `the SQLite file's vigil_schema_version records ${recorded}, but applying version ${version} failed (${error.message}): its vigil_ tables do not match the version recorded. vigil_schema_version was probably dropped or edited behind the store's back (or the database holds vigil_ tables of its own). If the vigil_ tables are intact, record their version and open the file again: CREATE TABLE IF NOT EXISTS vigil_schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL); INSERT INTO vigil_schema_version (version, applied_at) VALUES (1, 0); — one row per version up to the tables' own (this package writes version ${SCHEMA_VERSION}). Otherwise restore the file from a backup, or move it aside to start with an empty store`,
    { cause: error },
  );
}

/** The version recorded in the file (0 for a new file); refuses a newer or unreadable one. */
function currentVersion(connection: SqliteConnection): number {
  const table = connection
    .statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vigil_schema_version'")
    .pluck()
    .get();
  if (table === undefined) return 0;
  const current = connection
    .statement('SELECT coalesce(max(version), 0) FROM vigil_schema_version')
    .pluck()
    .get();
  if (typeof current !== 'number' || !Number.isInteger(current)) {
    throw new StoreError(
      'STORE_CORRUPT',
      `vigil_schema_version holds ${String(current)}, not a version number; repair or remove the file`,
    );
  }
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `the SQLite file has schema version ${current}, newer than this @vigil/storage-sqlite supports (${SCHEMA_VERSION}); upgrade the package`,
    );
  }
  return current;
}
