import { StoreError } from '@vigil/storage';
import type { QueryResult, QueryResultRow } from 'pg';

/** Runs one statement on the connection the migration holds. */
export type Run = <R extends QueryResultRow = QueryResultRow>(
  text: string,
  values?: readonly unknown[],
) => Promise<QueryResult<R>>;

/**
 * The schema, one entry per version, each a function of the quoted schema name. Append new
 * versions; never edit one that has shipped. Times are bigint ms since the epoch (the store's
 * clock); JSON values of any shape are `text` (exact round-trip), structured ones `jsonb`.
 */
export const MIGRATIONS: ReadonlyArray<(schema: string) => string> = [
  (s) => `
    CREATE TABLE ${s}.records (
      namespace text COLLATE "C" NOT NULL,
      key text COLLATE "C" NOT NULL,
      value text NOT NULL,
      version bigint NOT NULL,
      expires_at bigint,
      PRIMARY KEY (namespace, key)
    );
    CREATE INDEX records_expires_at ON ${s}.records (expires_at) WHERE expires_at IS NOT NULL;

    CREATE TABLE ${s}.dead_letters (
      id text COLLATE "C" PRIMARY KEY,
      queue text NOT NULL,
      payload text NOT NULL,
      error jsonb NOT NULL,
      attempts integer NOT NULL,
      failed_at bigint NOT NULL,
      metadata jsonb
    );
    CREATE INDEX dead_letters_queue_failed_at ON ${s}.dead_letters (queue, failed_at, id);
    CREATE INDEX dead_letters_failed_at ON ${s}.dead_letters (failed_at, id);

    CREATE TABLE ${s}.idempotency_keys (
      key text PRIMARY KEY,
      value text NOT NULL,
      expires_at bigint NOT NULL
    );
    CREATE INDEX idempotency_keys_expires_at ON ${s}.idempotency_keys (expires_at);

    CREATE TABLE ${s}.leases (
      name text PRIMARY KEY,
      owner text NOT NULL,
      token bigint NOT NULL,
      expires_at bigint NOT NULL
    );

    CREATE TABLE ${s}.series (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      metric text NOT NULL,
      key text NOT NULL,
      labels jsonb NOT NULL,
      UNIQUE (metric, key)
    );

    CREATE TABLE ${s}.points (
      series_id bigint NOT NULL,
      ts bigint NOT NULL,
      value double precision NOT NULL
    ) PARTITION BY RANGE (ts);
    CREATE TABLE ${s}.points_default PARTITION OF ${s}.points DEFAULT;
    CREATE INDEX points_series_id_ts ON ${s}.points (series_id, ts);
    CREATE INDEX points_ts ON ${s}.points USING brin (ts);

    CREATE TABLE ${s}.rollups_1m (
      series_id bigint NOT NULL,
      bucket bigint NOT NULL,
      count bigint NOT NULL,
      sum double precision NOT NULL,
      min double precision NOT NULL,
      max double precision NOT NULL,
      last double precision NOT NULL,
      last_at bigint NOT NULL,
      PRIMARY KEY (series_id, bucket)
    );
    CREATE INDEX rollups_1m_bucket ON ${s}.rollups_1m USING brin (bucket);
    CREATE TABLE ${s}.rollups_1h (LIKE ${s}.rollups_1m INCLUDING ALL);
  `,
];

/**
 * Brings the schema `name` (`quoted`: as an SQL identifier) up to the latest version. Run inside
 * one transaction: it takes an advisory lock on the schema's name first, so that instances
 * starting together apply each migration exactly once.
 */
export async function migrate(run: Run, name: string, quoted: string): Promise<void> {
  await run('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`vigil:migrate:${name}`]);
  const exists = await run('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
  if (exists.rowCount === 0) await run(`CREATE SCHEMA ${quoted}`);
  await run(
    `CREATE TABLE IF NOT EXISTS ${quoted}.schema_version (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  );
  const result = await run<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${quoted}.schema_version`,
  );
  const current = result.rows[0]?.version ?? 0;
  if (current > MIGRATIONS.length) {
    throw new StoreError(
      'STORE_CORRUPT',
      `schema "${name}" is at version ${current}, newer than this @vigil/storage-postgres knows (${MIGRATIONS.length}); upgrade the package`,
    );
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version - 1] as (schema: string) => string;
    await run(sql(quoted));
    await run(`INSERT INTO ${quoted}.schema_version (version) VALUES ($1)`, [version]);
  }
}
