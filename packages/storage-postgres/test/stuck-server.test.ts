import { StoreError } from '@vigil/storage';
import { rejection } from '@vigil/test-support';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { OwnServer } from './support/own-server.js';
import { uniqueSchema } from './support/postgres.js';

// Its own server on 55434: the test freezes (SIGSTOP) backends of it, never of the shared one.
const server = new OwnServer(55434);
const TIMEOUT = 1_000;
// What the README promises on top of `timeout` is timer latency; this leaves room for a loaded
// test machine while staying far below what one more round trip's timeout would cost.
const MARGIN = 300;

const frozen: number[] = [];
const holders: pg.Client[] = [];

beforeAll(() => server.start(), 60_000);
afterAll(() => server.remove(), 60_000);
afterEach(async () => {
  vi.useRealTimers();
  for (const pid of frozen.splice(0)) server.signal('SIGCONT', pid);
  for (const client of holders.splice(0)) await client.end().catch(() => undefined);
});

/** A raw connection of the test's own (not the store's) that holds `sql`'s locks until the end. */
async function hold(sql: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  holders.push(client);
  await client.query('BEGIN');
  await client.query(sql, values);
}

/**
 * Waits (polling the server, bounded) until one of the store's backends is blocked on a lock,
 * then freezes it: from then on that connection is a black hole, in the middle of a transaction.
 */
async function freezeBlockedBackend(): Promise<void> {
  let pid: number | undefined;
  await vi.waitUntil(
    async () => {
      const { rows } = await serverQuery<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'vigil' AND wait_event_type = 'Lock'`,
      );
      pid = rows[0]?.pid;
      return pid !== undefined;
    },
    { timeout: 5_000, interval: 20 },
  );
  server.signal('SIGSTOP', pid as number);
  frozen.push(pid as number);
}

async function serverQuery<R extends pg.QueryResultRow>(sql: string): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return await client.query<R>(sql);
  } finally {
    await client.end();
  }
}

/** Awaits `call` (started at `started`), expecting STORE_UNAVAILABLE; returns the ms it took. */
async function unavailable(call: Promise<unknown>, started: number): Promise<number> {
  const error = await rejection(call);
  const elapsed = performance.now() - started;
  expect(error, String(error)).toBeInstanceOf(StoreError);
  expect((error as StoreError).code, String(error)).toBe('STORE_UNAVAILABLE');
  return elapsed;
}

function newStore(
  options: { retention?: false | string; onError?: (error: unknown) => void } = {},
) {
  const schema = uniqueSchema();
  const store = new PostgresStore({
    url: server.url,
    schema,
    timeout: TIMEOUT,
    sweepInterval: '1m',
    retention: options.retention ?? false,
    onError: options.onError ?? (() => undefined),
  });
  return { store, schema: `"${schema}"` };
}

const t = Date.UTC(2026, 0, 1);
const point = (i: number) => ({ metric: 'up', labels: {}, timestamp: t + i * 60_000, value: i });

describe('PostgresStore when a backend stops answering mid-transaction', () => {
  it('fails deadLetters.add within timeout (no second wait for a ROLLBACK)', async () => {
    const { store, schema } = newStore();
    try {
      await store.deadLetters.count(); // migrated, one idle connection
      await hold('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        `vigil:dead-letters:${schema}`,
      ]);
      const started = performance.now();
      const add = store.deadLetters.add({
        queue: 'q',
        payload: 1,
        error: { message: 'x' },
        attempts: 1,
      });
      await freezeBlockedBackend();
      const elapsed = await unavailable(add, started);
      expect(elapsed).toBeLessThan(TIMEOUT + MARGIN);
    } finally {
      await store.close();
    }
  });

  it('fails deleteBefore within timeout, however much it has to delete', async () => {
    const { store, schema } = newStore();
    try {
      await store.timeSeries.append([point(0), point(1), point(2)]);
      await hold(`LOCK TABLE ${schema}.points IN SHARE MODE`);
      const started = performance.now();
      const deletion = store.timeSeries.deleteBefore(t + 90_000);
      await freezeBlockedBackend();
      const elapsed = await unavailable(deletion, started);
      expect(elapsed).toBeLessThan(TIMEOUT + MARGIN);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('reports a stuck retention sweep to onError within timeout', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const errors: Array<{ error: unknown; at: number }> = [];
    const { store, schema } = newStore({
      retention: '1d',
      onError: (error) => errors.push({ error, at: performance.now() }),
    });
    try {
      await store.timeSeries.append([point(0)]);
      await hold(`LOCK TABLE ${schema}.points IN SHARE MODE`);
      const started = performance.now();
      vi.advanceTimersByTime(60_000); // the sweep starts and blocks on the lock
      await freezeBlockedBackend();
      await vi.waitUntil(() => errors.length > 0, { timeout: 5 * TIMEOUT, interval: 10 });
      const [first] = errors;
      expect(first?.error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect((first?.at ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(TIMEOUT + MARGIN);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('close() settles at once while a retention sweep is stuck, without reporting it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const errors: unknown[] = [];
    const { store, schema } = newStore({ retention: '1d', onError: (e) => errors.push(e) });
    try {
      await store.timeSeries.append([point(0)]);
      await hold(`LOCK TABLE ${schema}.points IN SHARE MODE`);
      vi.advanceTimersByTime(60_000); // the sweep starts and blocks on the lock
      await freezeBlockedBackend();
    } finally {
      const started = performance.now();
      await store.close();
      const elapsed = performance.now() - started;
      // Not the sweep's own deadline: close() cuts it (the README promises within timeout).
      expect(elapsed).toBeLessThan(TIMEOUT / 2);
      expect(errors).toEqual([]);
      await expect(store.records.get('ns', 'k')).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
    }
  }, 60_000);
});
