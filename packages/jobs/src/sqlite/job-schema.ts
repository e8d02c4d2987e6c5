import { JobBackendError } from '../errors.js';
import type { JobConnection } from './job-connection.js';

/**
 * The schema, one entry per version; version N is `JOB_MIGRATIONS[N - 1]`. Append new versions,
 * never edit a released one. The tables are the backend's own (`vigil_jobs*`), so the file can be
 * shared with `@vigil/storage-sqlite`'s tables through the `database` option.
 */
export const JOB_MIGRATIONS: readonly string[] = [
  `
  -- One row per job the runner accepted and has not finished (completed or dead-lettered).
  -- STRICT: a value of the wrong type is refused at write time instead of read back later.
  CREATE TABLE vigil_jobs (
    -- Insertion order, and the key every write after the insert goes by: inserts append to
    -- the table's one b-tree, deletes and updates find a row by an integer.
    seq INTEGER PRIMARY KEY,
    -- The runner's job id. Unique among the rows: the backend, holding the file's lock, keeps
    -- every stored id in memory and refuses a second job under one.
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    -- JSON text; NULL for an undefined payload.
    payload TEXT,
    priority INTEGER NOT NULL,
    enqueued_at REAL NOT NULL,
    run_at REAL NOT NULL,
    -- Failed attempts so far: grows on a retry only, so an interrupted attempt is not counted.
    attempts INTEGER NOT NULL,
    previous_delay REAL NOT NULL,
    -- JSON array of the failed attempts (AttemptRecord).
    history TEXT NOT NULL,
    idempotency_key TEXT,
    replays INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running')),
    -- Set while running: until when the attempt is leased (ms since the epoch).
    lease_until REAL
  ) STRICT;
  `,
];

/** The schema version this build of the package writes. */
export const JOB_SCHEMA_VERSION = JOB_MIGRATIONS.length;

/**
 * Brings the backend's tables to `JOB_SCHEMA_VERSION`, recording each applied version in
 * `vigil_jobs_schema`. Runs in one write transaction (which, with `locking_mode = EXCLUSIVE`, is
 * also what takes the file's lock); applying it to an up-to-date file changes nothing. A file
 * written by a newer version of the package is refused.
 */
export function migrateJobTables(connection: JobConnection, now: number): void {
  connection.write(true, () => {
    connection.exec(
      'CREATE TABLE IF NOT EXISTS vigil_jobs_schema (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)',
    );
    const current = connection.statement('SELECT coalesce(max(version), 0) FROM vigil_jobs_schema');
    const version = current.pluck().get();
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
      throw new JobBackendError(
        `sqliteBackend: vigil_jobs_schema in ${connection.file} holds ${String(version)}, not a schema version; repair the table or move the file aside`,
      );
    }
    if (version > JOB_SCHEMA_VERSION) {
      throw new JobBackendError(
        `sqliteBackend: ${connection.file} has jobs schema version ${version}, newer than this @vigil/jobs supports (${JOB_SCHEMA_VERSION}); upgrade @vigil/jobs`,
      );
    }
    const record = connection.statement(
      'INSERT INTO vigil_jobs_schema (version, applied_at) VALUES (?, ?)',
    );
    for (let next = version + 1; next <= JOB_SCHEMA_VERSION; next++) {
      try {
        connection.exec(JOB_MIGRATIONS[next - 1] as string);
      } catch (error) {
        throw new JobBackendError(
          `sqliteBackend: applying jobs schema version ${next} to ${connection.file} failed (${(error as Error).message}); does the database hold a vigil_jobs table of its own, or was vigil_jobs_schema emptied?`,
          { cause: error },
        );
      }
      record.run(next, now);
    }
  });
}
