import { ConfigurationError } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { type SqliteBackendOptions, sqliteBackend } from '../src/sqlite/index.js';
import { Database, removeTempDatabases, tempDatabase } from './support/sqlite-files.js';

function refused(options: unknown): ConfigurationError {
  const error = caught(() => sqliteBackend(options as SqliteBackendOptions));
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('sqliteBackend options', () => {
  it('makes a durable backend named sqlite without opening anything', () => {
    const backend = sqliteBackend({ path: '/nonexistent/dir/jobs.db' });
    expect(backend).toMatchObject({ name: 'sqlite', durable: true });
  });

  it('requires an options object with a path or a database', () => {
    expect(refused(undefined)).toMatchObject({ code: 'INVALID_OPTION' });
    expect(refused({}).message).toMatch(/sqliteBackend: path is required/);
    expect(refused({ lease: '1s' }).message).toMatch(/path is required/);
  });

  it('refuses misspelt options, naming the known ones', () => {
    const error = refused({ path: 'jobs.db', leese: '1s' });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(/unknown option 'leese'; the options are path, database, lease/);
  });

  it.each([
    [{ path: '' }, /path should be a non-empty string, got ""/],
    [{ path: 42 }, /path should be a non-empty string, got 42/],
    [{ path: 'jobs.db', batchSize: 0 }, /batchSize should be a positive integer, got 0/],
    [{ path: 'jobs.db', batchSize: 1.5 }, /batchSize should be a positive integer, got 1.5/],
    [
      { path: 'jobs.db', synchronous: 'off' },
      /synchronous should be one of "full", "normal", got "off"/,
    ],
    [{ path: 'jobs.db', timers: {} }, /timers should be an object with setTimeout/],
    [{ database: {} }, /database should be an open better-sqlite3 Database/],
  ])('names the bad field: %j', (options, message) => {
    const error = refused(options);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(message);
  });

  it('refuses a lease that is not a positive duration (INVALID_DURATION)', () => {
    expect(refused({ path: 'jobs.db', lease: 0 })).toMatchObject({ code: 'INVALID_DURATION' });
    expect(refused({ path: 'jobs.db', lease: '10 parsecs' }).message).toMatch(/lease/);
  });

  it('refuses file options beside a database passed in, and a closed database', () => {
    const path = tempDatabase();
    try {
      const db = new Database(path);
      expect(refused({ database: db, synchronous: 'full' }).message).toMatch(
        /synchronous applies to a file the backend opens/,
      );
      expect(refused({ database: db, path }).message).toMatch(/path applies to a file/);
      db.close();
      expect(refused({ database: db }).message).toMatch(/database should be an open/);
    } finally {
      removeTempDatabases();
    }
  });
});
