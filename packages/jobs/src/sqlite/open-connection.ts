import { JobBackendError } from '../errors.js';
import { JobConnection } from './job-connection.js';
import { migrateJobTables } from './job-schema.js';
import { loadDriver } from './load-driver.js';
import type { SqliteBackendConfig, SqliteDatabase } from './sqlite-backend-options.js';

/** Connections passed in that an open backend uses: one backend per connection. */
const claimed = new WeakSet<SqliteDatabase>();

/**
 * @internal Opens the backend's connection and brings its tables up to date. A file it opens
 * gets `locking_mode = EXCLUSIVE` before WAL mode: the first write transaction (the migration)
 * takes an exclusive lock on the file that the connection holds until it closes, so a second
 * backend on the file, in this process or another, fails here instead of sharing the queue.
 * The OS drops the lock when the process dies, so a restart after a crash is not kept waiting.
 *
 * @throws JobBackendError saying what went wrong: better-sqlite3 missing, the file locked, not a
 *   database, or of a newer schema.
 */
export async function openConnection(
  config: SqliteBackendConfig,
  now: number,
): Promise<JobConnection> {
  const source = config.source;
  if ('database' in source) {
    const db = source.database;
    if (claimed.has(db)) {
      throw new JobBackendError(
        `sqliteBackend: another open sqlite backend already uses this database connection (${JSON.stringify(db.name)}); each runner needs its own backend and file`,
      );
    }
    claimed.add(db);
    const connection = new JobConnection(db, false, () => claimed.delete(db));
    return prepared(connection, now, () => {});
  }
  const Driver = await loadDriver();
  let db: SqliteDatabase;
  try {
    db = new Driver(source.path, { timeout: 0 });
  } catch (error) {
    throw new JobBackendError(
      `sqliteBackend cannot open ${JSON.stringify(source.path)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const connection = new JobConnection(db, true);
  return prepared(connection, now, () => {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${source.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    if (source.synchronous === 'full') connection.syncAcknowledgingOnly();
  });
}

/** Sets the connection up and migrates; on failure closes it and explains. */
function prepared(connection: JobConnection, now: number, setUp: () => void): JobConnection {
  try {
    setUp();
    migrateJobTables(connection, now);
    return connection;
  } catch (error) {
    connection.close();
    throw openError(connection.file, error);
  }
}

function openError(file: string, error: unknown): JobBackendError {
  if (error instanceof JobBackendError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new JobBackendError(
      `sqliteBackend: ${file} is in use by another connection: a job runner (in this process or another) has it open, and the sqlite backend holds an exclusive lock on its file while open. Close that runner first, or give this one its own file`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new JobBackendError(
      `sqliteBackend: ${file} is not an SQLite database or is damaged (${message}); restore it from a backup or move it aside`,
      { cause: error },
    );
  }
  return new JobBackendError(`sqliteBackend could not open ${file}: ${message}`, { cause: error });
}
