import type Database from 'better-sqlite3';
import { closedError, toStoreError } from './to-store-error.js';

/**
 * One better-sqlite3 connection as the stores use it: cached prepared statements, write
 * transactions that take the write lock up front (`BEGIN IMMEDIATE`, so that two connections to
 * one file serialise instead of failing on a stale snapshot), read transactions for consistent
 * multi-statement reads, and every failure translated into a `StoreError`.
 */
export class SqliteConnection {
  readonly #db: Database.Database;
  readonly #owned: boolean;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #transaction: Database.Transaction<(fn: () => unknown) => unknown>;
  #closed = false;

  constructor(db: Database.Database, owned: boolean) {
    this.#db = db;
    this.#owned = owned;
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  /** A prepared statement for `sql`, prepared once per connection. */
  statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in a write transaction (`BEGIN IMMEDIATE`); it commits when `fn` returns. */
  write<T>(fn: () => T): T {
    this.#checkOpen();
    try {
      return this.#transaction.immediate(fn) as T;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Runs `fn` in a read transaction: every statement in it sees one snapshot. */
  read<T>(fn: () => T): T {
    this.#checkOpen();
    try {
      return this.#transaction.deferred(fn) as T;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Runs statements that need no transaction (DDL, pragmas), translating failures. */
  run<T>(fn: (db: Database.Database) => T): T {
    this.#checkOpen();
    try {
      return fn(this.#db);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  get closed(): boolean {
    return this.#closed || !this.#db.open;
  }

  /** Closes the database if this connection opened it; a database passed in stays open. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    if (this.#owned && this.#db.open) this.#db.close();
  }

  #checkOpen(): void {
    if (this.closed) throw closedError();
  }
}
