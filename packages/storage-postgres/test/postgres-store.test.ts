import { ConfigurationError } from '@vigil/core';
import { rejection } from '@vigil/test-support';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore, type PostgresStoreOptions } from '../src/index.js';
import { dropSchema, postgresUrl, raw, uniqueSchema } from './support/postgres.js';

const schemas: string[] = [];

afterEach(async () => {
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

function schema(): string {
  const name = uniqueSchema();
  schemas.push(name);
  return name;
}

function configurationError(options: unknown): unknown {
  try {
    new PostgresStore(options as PostgresStoreOptions);
  } catch (error) {
    return error;
  }
  throw new Error('expected the constructor to throw');
}

describe('PostgresStore', () => {
  it('checks its options at construction', () => {
    const url = postgresUrl();
    const cases: Array<[unknown, string, RegExp]> = [
      [{}, 'INVALID_OPTION', /exactly one of url/],
      [{ url, pool: new pg.Pool() }, 'INVALID_OPTION', /exactly one of url/],
      [{ url: '' }, 'INVALID_OPTION', /url should be/],
      [{ pool: {} }, 'INVALID_OPTION', /pool should be a pg.Pool/],
      [{ url, schema: 'drop table; --' }, 'INVALID_OPTION', /schema should be/],
      [{ url, schema: 'x'.repeat(64) }, 'INVALID_OPTION', /schema should be/],
      [{ url, timeout: 0 }, 'INVALID_DURATION', /timeout should be longer than zero/],
      [{ url, timeout: 'soon' }, 'INVALID_DURATION', /timeout/],
      [{ url, maxConnections: 0 }, 'INVALID_OPTION', /maxConnections/],
      [{ url, maxDeadLetters: -1 }, 'INVALID_OPTION', /maxDeadLetters/],
      [{ url, sychronousCommit: true }, 'INVALID_OPTION', /unknown option 'sychronousCommit'/],
    ];
    for (const [options, code, message] of cases) {
      const error = configurationError(options);
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    }
  });

  it('takes an explicitly undefined optional option as its default (and so does its type)', async () => {
    const maybe = (): string | undefined => undefined;
    const store = new PostgresStore({
      url: postgresUrl(),
      pool: undefined,
      schema: schema(),
      timeout: maybe(),
      maxConnections: undefined,
      retention: undefined,
      sweepInterval: undefined,
      maxDeadLetters: undefined,
      clock: undefined,
      onError: undefined,
    });
    try {
      expect(await store.records.set('ns', 'k', 1)).toMatchObject({ version: 1 });
    } finally {
      await store.close();
    }
    expect(configurationError(undefined)).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/options is required/),
    });
  });

  it('creates its schema once, even when several instances start together', async () => {
    const name = schema();
    const stores = Array.from(
      { length: 4 },
      () => new PostgresStore({ url: postgresUrl(), schema: name }),
    );
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      const versions = await raw<{ version: number }>(
        `SELECT version FROM "${name}".schema_version`,
      );
      expect(versions).toEqual([{ version: 1 }]);
      await stores[0]?.records.set('ns', 'k', 'shared');
      expect((await stores[3]?.records.get('ns', 'k'))?.value).toBe('shared');
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('uses a pool passed in and leaves it open on close()', async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 });
    try {
      const store = new PostgresStore({ pool, schema: schema() });
      await store.leases.acquire('leader', 'a', '1m');
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(pool.listenerCount('error')).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('fails with STORE_UNAVAILABLE after close(), which can be called again', async () => {
    const store = new PostgresStore({ url: postgresUrl(), schema: schema() });
    await store.migrate();
    await store[Symbol.asyncDispose]();
    await store.close();
    expect(await rejection(store.records.get('ns', 'k'))).toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });

  it('refuses a schema written by a newer version of the package', async () => {
    const name = schema();
    const store = new PostgresStore({ url: postgresUrl(), schema: name });
    try {
      await store.migrate();
      await raw(`INSERT INTO "${name}".schema_version (version) VALUES (99)`);
      const later = new PostgresStore({ url: postgresUrl(), schema: name });
      expect(await rejection(later.migrate())).toMatchObject({
        code: 'STORE_CORRUPT',
        message: expect.stringMatching(/version 99/),
      });
      await later.close();
    } finally {
      await store.close();
    }
  });
});
