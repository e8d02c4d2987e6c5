import type {
  DeadLetterStore,
  IdempotencyStore,
  LeaseStore,
  RecordStore,
  Store,
  TimeSeriesStore,
} from '@vigil/storage';
import { startSweeper } from '@vigil/storage/adapter';
import { Pool } from 'pg';
import { Database } from './database.js';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store.js';
import { PostgresIdempotencyStore } from './postgres-idempotency-store.js';
import { PostgresLeaseStore } from './postgres-lease-store.js';
import { PostgresRecordStore } from './postgres-record-store.js';
import { type PostgresStoreOptions, resolvePostgresOptions } from './postgres-store-options.js';
import { PostgresTimeSeriesStore } from './postgres-time-series-store.js';

/**
 * Every Vigil store on PostgreSQL, in one schema, for several instances of a service sharing
 * state. Tables are created on first use (migrations with a version table, under an advisory lock);
 * a background sweep applies the retention and clears expired keys, reporting its errors to
 * `onError`. Calls while the server is down fail with `STORE_UNAVAILABLE` within `timeout`, and
 * the store recovers by itself once the server is back.
 */
export class PostgresStore implements Store {
  readonly timeSeries: TimeSeriesStore;
  readonly records: RecordStore;
  readonly deadLetters: DeadLetterStore;
  readonly idempotency: IdempotencyStore;
  readonly leases: LeaseStore;
  readonly #db: Database;
  readonly #stopSweeper: () => Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    const resolved = resolvePostgresOptions(options);
    const pool =
      resolved.pool ??
      new Pool({
        connectionString: resolved.url,
        max: resolved.maxConnections,
        connectionTimeoutMillis: resolved.timeoutMs,
        query_timeout: resolved.timeoutMs,
        statement_timeout: resolved.timeoutMs,
        application_name: 'vigil',
        // Idle connections do not keep the host's process alive.
        allowExitOnIdle: true,
      });
    this.#db = new Database({
      pool,
      ownsPool: resolved.pool === undefined,
      schema: resolved.schema,
      timeoutMs: resolved.timeoutMs,
      onError: resolved.onError,
    });
    const clock = resolved.clock;
    const now = () => Math.floor(clock.now());
    const timeSeries = new PostgresTimeSeriesStore(this.#db);
    this.timeSeries = timeSeries;
    this.records = new PostgresRecordStore(this.#db, now);
    this.deadLetters = new PostgresDeadLetterStore(this.#db, now, resolved.maxDeadLetters);
    this.idempotency = new PostgresIdempotencyStore(this.#db, now);
    this.leases = new PostgresLeaseStore(this.#db, now);
    const retentionMs = resolved.retentionMs;
    const s = this.#db.schema;
    const expired = [
      `DELETE FROM ${s}.records WHERE expires_at <= $1`,
      `DELETE FROM ${s}.idempotency_keys WHERE expires_at <= $1`,
    ];
    this.#stopSweeper = startSweeper(
      resolved.sweepIntervalMs,
      async () => {
        if (retentionMs !== undefined) await timeSeries.deleteBefore(now() - retentionMs);
        for (const sql of expired) await this.#db.query(sql, [now()]);
      },
      // A sweep that close() cut short is not a failure to report.
      (error) => {
        if (this.#closing === undefined) resolved.onError(error);
      },
    );
  }

  /**
   * Creates the schema and its tables, or brings them up to date, now rather than on the first
   * call. Optional: every call does it first. Fails with `STORE_UNAVAILABLE` while the server is
   * down.
   */
  migrate(): Promise<void> {
    return this.#db.ready();
  }

  /**
   * Stops the sweep and ends the pool the store created. Calls in flight, a sweep's included, fail
   * at once with `STORE_UNAVAILABLE` (their connections are destroyed): `close()` never waits for
   * a server that stopped answering.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const stopped = this.#stopSweeper();
      await this.#db.close();
      await stopped;
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
