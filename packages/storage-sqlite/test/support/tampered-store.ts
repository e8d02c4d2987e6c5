import { type ManualClock, manualClock } from '@vigil/storage/testing';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/index.js';

/** A store on an in-memory database, with that database's handle for edits behind its back. */
export interface TamperedStore {
  readonly store: SqliteStore;
  /** The store's own database: what a test runs through it bypasses the store. */
  readonly db: Database.Database;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/**
 * Opens a `SqliteStore` on a database passed in, so that a test can change rows behind the
 * store's back through the same handle (no file, no second connection), on a manual clock.
 */
export function tamperedStore(): TamperedStore {
  const db = new Database(':memory:');
  const clock = manualClock();
  const store = new SqliteStore({ database: db, clock, retention: false });
  return {
    store,
    db,
    clock,
    close: async () => {
      await store.close();
      db.close();
    },
  };
}
