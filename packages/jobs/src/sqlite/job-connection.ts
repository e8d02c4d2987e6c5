import type { SqliteDatabase } from './sqlite-backend-options.js';

/** @internal A better-sqlite3 prepared statement, as far as the backend uses it. */
export interface SqliteStatement {
  run(...params: unknown[]): { readonly changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Answers the first column's value instead of a row object. */
  pluck(toggle?: boolean): SqliteStatement;
}

type Transaction = ((fn: () => void) => void) & { immediate: (fn: () => void) => void };

/**
 * @internal The backend's connection: prepared statements cached by their SQL, and write
 * transactions that take the write lock up front (`BEGIN IMMEDIATE`). Closes the database only
 * if the backend opened it.
 */
export class JobConnection {
  /** The database file, for messages. */
  readonly file: string;
  readonly #db: SqliteDatabase;
  readonly #owned: boolean;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #transaction: Transaction;
  readonly #onClose: (() => void) | undefined;
  #sync: { full: SqliteStatement; normal: SqliteStatement; durable: boolean } | undefined;
  #closed = false;

  constructor(db: SqliteDatabase, owned: boolean, onClose?: () => void) {
    this.#db = db;
    this.#owned = owned;
    this.#onClose = onClose;
    this.file = JSON.stringify(db.name);
    this.#transaction = db.transaction((fn: () => void) => fn()) as Transaction;
  }

  /** A prepared statement for `sql`, prepared once per connection. */
  statement(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql) as SqliteStatement;
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs SQL that takes no parameters (DDL). */
  exec(sql: string): void {
    this.#db.exec(sql);
  }

  /**
   * Makes only the commits that acknowledge something wait for the disk: in WAL mode with
   * `synchronous = FULL` every commit fsyncs the log; from now on the others run with
   * `synchronous = NORMAL`, written to the log without an fsync. They survive the process being
   * killed, and an OS crash or power loss once the next acknowledging commit (or checkpoint) has
   * synced the log, which holds them too. For a file the backend opened with `'full'`.
   */
  syncAcknowledgingOnly(): void {
    this.#sync = {
      full: this.statement('PRAGMA synchronous = FULL'),
      normal: this.statement('PRAGMA synchronous = NORMAL'),
      durable: true,
    };
  }

  /**
   * Runs `fn` in one write transaction (`BEGIN IMMEDIATE`): it commits when `fn` returns.
   * `durable`: the commit acknowledges something (see `syncAcknowledgingOnly`).
   */
  write(durable: boolean, fn: () => void): void {
    const sync = this.#sync;
    if (sync !== undefined && sync.durable !== durable) {
      (durable ? sync.full : sync.normal).run();
      sync.durable = durable;
    }
    this.#transaction.immediate(fn);
  }

  /** Closes the database if the backend opened it; a database passed in stays open. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.#onClose?.();
    if (this.#owned && this.#db.open) this.#db.close();
  }
}
