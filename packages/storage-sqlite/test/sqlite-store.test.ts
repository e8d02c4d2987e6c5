import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '@vigil/core';
import { StoreError } from '@vigil/storage';
import { expectStoreError } from '@vigil/storage/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore, type SqliteStoreOptions } from '../src/index.js';
import { tempDatabase } from './support/sqlite-subject.js';

const T0 = Date.UTC(2026, 0, 1);
const files: Array<{ path: string; remove(): void }> = [];
function file(): { path: string; remove(): void } {
  const created = tempDatabase();
  files.push(created);
  return created;
}

afterEach(() => {
  vi.useRealTimers();
  for (const created of files.splice(0)) created.remove();
});

describe('SqliteStore options', () => {
  it.each<[string, unknown]>([
    ['no path or database', {}],
    ['an empty path', { path: '' }],
    ['an unknown option', { path: ':memory:', journal: 'wal' }],
    ['a bad synchronous mode', { path: ':memory:', synchronous: 'off' }],
    ['both path and database', { path: ':memory:', database: new Database(':memory:') }],
    ['timeout with database', { database: new Database(':memory:'), timeout: 10 }],
    ['something else as database', { database: { prepare: 1 } }],
    ['a closed database', { database: closed() }],
    ['a bad maxDeadLetters', { path: ':memory:', maxDeadLetters: 0 }],
  ])('refuses %s with INVALID_OPTION', (_, options) => {
    expect(() => new SqliteStore(options as SqliteStoreOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('takes an explicitly undefined optional option as its default (and so does its type)', async () => {
    const maybe = (): string | undefined => undefined;
    const store = new SqliteStore({
      path: ':memory:',
      database: undefined,
      synchronous: undefined,
      timeout: maybe(),
      retention: undefined,
      sweepInterval: undefined,
      maxDeadLetters: undefined,
      clock: undefined,
      onError: undefined,
    });
    expect(await store.records.set('ns', 'k', 1)).toMatchObject({ version: 1 });
    await store.close();
    expect(() => new SqliteStore(undefined as unknown as SqliteStoreOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/path/) }),
    );
  });

  it.each<[string, unknown]>([
    ['a bad timeout', { path: ':memory:', timeout: 'soon' }],
    ['a negative timeout', { path: ':memory:', timeout: -1 }],
    ['a bad retention', { path: ':memory:', retention: '1 day' }],
  ])('refuses %s with INVALID_DURATION', (_, options) => {
    expect(() => new SqliteStore(options as SqliteStoreOptions)).toThrow(ConfigurationError);
    expect(() => new SqliteStore(options as SqliteStoreOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION' }),
    );
  });
});

describe('SqliteStore file', () => {
  it('opens the file in WAL mode with synchronous NORMAL, or FULL when asked', async () => {
    const { path } = file();
    await new SqliteStore({ path }).close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const full = join(file().path);
    const store = new SqliteStore({ path: full, synchronous: 'full' });
    await store.records.set('ns', 'k', 1);
    await store.close();
    expect((await reopen(full).records.get('ns', 'k'))?.value).toBe(1);
  });

  it('records the schema version once; reopening keeps the data', async () => {
    const { path } = file();
    const first = new SqliteStore({ path });
    await first.records.set('ns', 'k', 'kept');
    await first.close();
    const second = reopen(path);
    expect((await second.records.get('ns', 'k'))?.value).toBe('kept');
    await second.close();
    const db = new Database(path);
    expect(db.prepare('SELECT version FROM vigil_schema_version').pluck().all()).toEqual([1]);
    db.close();
  });

  it('refuses a file written by a newer schema with STORE_UNAVAILABLE', async () => {
    const { path } = file();
    await new SqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO vigil_schema_version VALUES (99, 0)').run();
    db.close();
    expect(() => new SqliteStore({ path })).toThrow(
      expect.objectContaining({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/99/) }),
    );
  });

  it.each<[string, string]>([
    ['dropped', 'DROP TABLE vigil_schema_version'],
    ['emptied', 'DELETE FROM vigil_schema_version'],
  ])(
    'a file whose schema-version table was %s: STORE_CORRUPT, the file untouched',
    async (_, damage) => {
      const { path } = file();
      const first = new SqliteStore({ path });
      await first.records.set('ns', 'k', 'kept');
      await first.close();
      const db = new Database(path);
      db.exec(damage);
      let error: unknown;
      try {
        new SqliteStore({ path });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({
        code: 'STORE_CORRUPT',
        message: expect.stringMatching(/vigil_schema_version.*INSERT INTO vigil_schema_version/s),
        cause: expect.objectContaining({ name: 'SqliteError' }),
      });
      // Recording the version again, as the message says, repairs the file.
      db.exec(`CREATE TABLE IF NOT EXISTS vigil_schema_version
        (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`);
      db.exec('INSERT INTO vigil_schema_version (version, applied_at) VALUES (1, 0)');
      db.close();
      const repaired = reopen(path);
      expect((await repaired.records.get('ns', 'k'))?.value).toBe('kept');
      await repaired.close();
    },
  );

  it('cannot open a file in a missing directory: STORE_UNAVAILABLE', () => {
    const path = join(file().path, 'missing', 'store.db');
    expect(() => new SqliteStore({ path })).toThrow(
      expect.objectContaining({ code: 'STORE_UNAVAILABLE' }),
    );
  });

  it('a file that is not a database: STORE_CORRUPT', () => {
    const { path } = file();
    writeFileSync(path, 'this is not an SQLite database, just text. '.repeat(200));
    expect(() => new SqliteStore({ path })).toThrow(
      expect.objectContaining({ code: 'STORE_CORRUPT' }),
    );
  });

  it('a write locked past the timeout fails with STORE_UNAVAILABLE, then recovers', async () => {
    const { path } = file();
    await using store = new SqliteStore({ path, timeout: 50 });
    await store.records.set('ns', 'k', 'before');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE'); // another connection holds the write lock
    await expectStoreError(() => store.records.set('ns', 'k', 'blocked'), 'STORE_UNAVAILABLE');
    await expectStoreError(
      () => store.timeSeries.append([{ metric: 'm', labels: {}, timestamp: T0, value: 1 }]),
      'STORE_UNAVAILABLE',
    );
    // WAL: readers are not blocked by the writer.
    expect((await store.records.get('ns', 'k'))?.value).toBe('before');
    other.exec('ROLLBACK');
    other.close();
    expect(await store.records.set('ns', 'k', 'after')).toMatchObject({ version: 2 });
  });

  it('every call after close() fails with STORE_UNAVAILABLE; close() is idempotent', async () => {
    const store = new SqliteStore({ path: file().path });
    await store.close();
    await store.close();
    await expectStoreError(() => store.records.get('ns', 'k'), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.records.set('ns', 'k', 1), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.deadLetters.count(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.idempotency.claim('k', 1, '1m'), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.leases.get('l'), 'STORE_UNAVAILABLE');
    await expectStoreError(
      () => store.timeSeries.query({ metric: 'm', from: 0, to: 1, step: 1 }),
      'STORE_UNAVAILABLE',
    );
    await expectStoreError(() => store.timeSeries.deleteBefore(0), 'STORE_UNAVAILABLE');
  });

  it('works on :memory:', async () => {
    await using store = new SqliteStore({ path: ':memory:' });
    expect(await store.idempotency.claim('k', 1, '1m')).toEqual({ claimed: true });
  });
});

describe('SqliteStore on a database passed in', () => {
  it('creates its vigil_ tables beside yours and leaves the database open', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE records (mine TEXT)');
    const store = new SqliteStore({ database: db });
    await store.records.set('ns', 'k', 1);
    await store.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT count(*) FROM vigil_records').pluck().get()).toBe(1);
    await using again = new SqliteStore({ database: db });
    expect((await again.records.get('ns', 'k'))?.value).toBe(1);
    db.close();
    await expectStoreError(() => again.records.get('ns', 'k'), 'STORE_UNAVAILABLE');
  });
});

describe('SqliteStore sweep', () => {
  it('removes points past the retention and expired keys, on an unref()ed timer', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = T0;
    const clock = { now: () => now };
    const { path } = file();
    await using store = new SqliteStore({ path, clock, retention: '1h', sweepInterval: '10m' });
    await store.timeSeries.append([
      { metric: 'm', labels: {}, timestamp: T0, value: 1 },
      { metric: 'm', labels: {}, timestamp: T0 + 50 * 60_000, value: 2 },
    ]);
    await store.records.set('ns', 'ttl', 1, { ttl: '5m' });
    await store.records.set('ns', 'kept', 1);
    await store.idempotency.claim('key', 1, '5m');
    now = T0 + 61 * 60_000;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await vi.waitFor(async () => {
      const left = await store.timeSeries.query({ metric: 'm', from: 0, to: now, step: 1_000 });
      expect(left[0]?.points).toEqual([[T0 + 50 * 60_000, 2]]);
    });
    const db = new Database(path);
    expect(db.prepare('SELECT key FROM vigil_records').pluck().all()).toEqual(['kept']);
    expect(db.prepare('SELECT count(*) FROM vigil_idempotency').pluck().get()).toBe(0);
    db.close();
  });

  it('reports a failing sweep to onError and never throws into the host', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const errors: unknown[] = [];
    const db = new Database(':memory:');
    await using store = new SqliteStore({
      database: db,
      sweepInterval: '1m',
      onError: (error) => errors.push(error),
    });
    db.close(); // behind the store's back
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(store.deadLetters.dropped()).toBe(0);
  });
});

function closed(): Database.Database {
  const db = new Database(':memory:');
  db.close();
  return db;
}

function reopen(path: string): SqliteStore {
  return new SqliteStore({ path });
}
