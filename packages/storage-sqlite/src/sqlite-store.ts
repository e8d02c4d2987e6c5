import {
  type DeadLetterStore,
  type IdempotencyStore,
  type LeaseStore,
  type RecordStore,
  type Store,
  StoreError,
  type TimeSeriesStore,
} from '@vigil/storage';
import { startSweeper } from '@vigil/storage/adapter';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';
import { SeriesCatalog } from './series-catalog.js';
import { SqliteConnection } from './sqlite-connection.js';
import { SqliteDeadLetterStore } from './sqlite-dead-letter-store.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';
import { SqliteRecordStore } from './sqlite-record-store.js';
import {
  type ResolvedSqliteOptions,
  resolveSqliteOptions,
  type SqliteStoreOptions,
} from './sqlite-store-options.js';
import { SqliteTimeSeriesStore } from './sqlite-time-series-store.js';

/**
 * Every Vigil store in one SQLite file (better-sqlite3, WAL mode): the embedded, durable default
 * for one process, or several processes on one machine. Two `SqliteStore`s on one file are two
 * clients of the same data.
 *
 * Opening is synchronous: the constructor opens the file, sets WAL mode and brings the schema up
 * to date, and throws `STORE_UNAVAILABLE` when the file cannot be opened or stays locked past
 * `timeout` (`STORE_CORRUPT` when it is not a database), `ConfigurationError` on bad options.
 */
export class SqliteStore implements Store {
  readonly timeSeries: TimeSeriesStore;
  readonly records: RecordStore;
  readonly deadLetters: DeadLetterStore;
  readonly idempotency: IdempotencyStore;
  readonly leases: LeaseStore;
  readonly #connection: SqliteConnection;
  readonly #stopSweeper: () => Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(options: SqliteStoreOptions) {
    const resolved = resolveSqliteOptions(options);
    const connection = open(resolved);
    const { clock } = resolved;
    this.#connection = connection;
    this.timeSeries = new SqliteTimeSeriesStore(connection, new SeriesCatalog(connection));
    this.records = new SqliteRecordStore(connection, clock);
    this.deadLetters = new SqliteDeadLetterStore(connection, clock, resolved.maxDeadLetters);
    this.idempotency = new SqliteIdempotencyStore(connection, clock);
    this.leases = new SqliteLeaseStore(connection, clock);
    const { retentionMs } = resolved;
    this.#stopSweeper = startSweeper(
      resolved.sweepIntervalMs,
      async () => {
        if (retentionMs !== undefined) {
          await this.timeSeries.deleteBefore(clock.now() - retentionMs);
        }
        this.#deleteExpired(clock.now());
      },
      resolved.onError,
    );
  }

  /** Stops the sweep and closes the file (a `database` passed in stays open). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#stopSweeper().finally(() => this.#connection.close());
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Removes expired records and idempotency keys (reads already ignore them). */
  #deleteExpired(now: number): void {
    this.#connection.write(() => {
      this.#connection
        .statement('DELETE FROM vigil_records WHERE expires_at IS NOT NULL AND expires_at <= ?')
        .run(now);
      this.#connection.statement('DELETE FROM vigil_idempotency WHERE expires_at <= ?').run(now);
    });
  }
}

function open(options: ResolvedSqliteOptions): SqliteConnection {
  if ('database' in options) {
    const connection = new SqliteConnection(options.database as Database.Database, false);
    migrate(connection, options.clock.now());
    return connection;
  }
  let db: Database.Database;
  try {
    db = new Database(options.path, { timeout: options.timeoutMs });
  } catch (error) {
    // better-sqlite3 checks the path itself (a missing directory is a TypeError).
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `SqliteStore cannot open ${JSON.stringify(options.path)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const connection = new SqliteConnection(db, true);
  try {
    connection.run((database) => {
      database.pragma('journal_mode = WAL');
      database.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    });
    migrate(connection, options.clock.now());
  } catch (error) {
    connection.close();
    throw error;
  }
  return connection;
}
