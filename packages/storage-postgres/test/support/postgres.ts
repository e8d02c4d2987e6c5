import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { PostgresStore, type PostgresStoreOptions } from '../../src/index.js';

/** The shared test server's URL, from the global set-up. */
export function postgresUrl(): string {
  return inject('postgresUrl');
}

/** A fresh schema name, so that each test has its own tables in the shared server. */
export function uniqueSchema(): string {
  return `vigil_test_${randomBytes(6).toString('hex')}`;
}

type ExtraOptions = Omit<PostgresStoreOptions, 'url' | 'pool' | 'schema'>;

/** A store on a fresh schema of the shared server, and how to remove it all afterwards. */
export async function openStore(
  options: ExtraOptions = {},
): Promise<{ store: PostgresStore; schema: string; cleanup: () => Promise<void> }> {
  const schema = uniqueSchema();
  const store = new PostgresStore({ url: postgresUrl(), schema, ...options });
  return {
    store,
    schema,
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/** Runs `sql` on a raw connection, behind the store's back; the rows of its last statement. */
export async function raw<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
  url = postgresUrl(),
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: pg.QueryResult<R> | Array<pg.QueryResult<R>> = await client.query<R>(sql, values);
    return (Array.isArray(result) ? (result.at(-1) as pg.QueryResult<R>) : result).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
