import { type StoreError, StoreError as StoreErrorClass } from '@vigil/storage';
import { rejection } from '@vigil/test-support';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { OwnServer } from './support/own-server.js';
import { uniqueSchema } from './support/postgres.js';

// Its own server on 55433, killed and restarted by pid; the shared one is never touched.
const server = new OwnServer(55433);
const TIMEOUT = 1_000;

beforeAll(() => server.start(), 60_000);
afterAll(() => server.remove(), 60_000);
afterEach(() => {
  vi.useRealTimers();
});

/** Runs `call`, expecting STORE_UNAVAILABLE; returns how long it took to fail, in ms. */
async function unavailable(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const error = await rejection(call());
  expect(error, String(error)).toBeInstanceOf(StoreErrorClass);
  expect((error as StoreError).code, String(error)).toBe('STORE_UNAVAILABLE');
  return performance.now() - started;
}

/** Calls `call` until it resolves (at most five tries), rethrowing the last error. */
async function eventually<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}

describe('PostgresStore when PostgreSQL goes away', () => {
  it('fails fast while the server is down, keeps sweeps quiet, and recovers by itself', async () => {
    // The sweeper's interval is faked so that the test decides when a sweep runs.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const errors: unknown[] = [];
    const store = new PostgresStore({
      url: server.url,
      schema: uniqueSchema(),
      timeout: TIMEOUT,
      sweepInterval: '1m',
      // The points below are dated 2026-01-01: a retention on the real clock would sweep them
      // once the server is back. The sweep still runs (expired keys) and must stay quiet.
      retention: false,
      onError: (error) => errors.push(error),
    });
    const t = Date.UTC(2026, 0, 1);
    const point = (i: number) => ({ metric: 'up', labels: {}, timestamp: t + i, value: i });
    try {
      await store.records.set('ns', 'before', 'acknowledged');
      await store.timeSeries.append([point(0)]);
      await store.deadLetters.add({
        id: 'd',
        queue: 'q',
        payload: 1,
        error: { message: 'x' },
        attempts: 1,
      });

      await server.kill();
      const calls: Array<() => Promise<unknown>> = [
        () => store.records.get('ns', 'before'),
        () => store.records.set('ns', 'during', 1),
        () => store.leases.acquire('leader', 'a', '1m'),
        () => store.idempotency.claim('k', 1, '1m'),
        () => store.deadLetters.count(),
        () => store.timeSeries.append([point(1)]),
        () => store.timeSeries.query({ metric: 'up', from: t, to: t + 60_000, step: 60_000 }),
      ];
      for (const call of calls) {
        // Bounded: a refused connection fails at once, a silent one after `timeout`.
        expect(await unavailable(call)).toBeLessThan(TIMEOUT * 5);
      }
      vi.advanceTimersByTime(60_000);
      await vi.waitUntil(() => errors.length > 0, { timeout: TIMEOUT * 5 });
      expect(errors[0]).toMatchObject({ code: 'STORE_UNAVAILABLE' });

      server.start();
      expect(await store.records.get('ns', 'before')).toMatchObject({ value: 'acknowledged' });
      expect(await store.deadLetters.get('d')).toMatchObject({ queue: 'q' });
      await store.timeSeries.append([point(2)]);
      const [series] = await store.timeSeries.query({
        metric: 'up',
        from: t,
        to: t + 60_000,
        step: 1,
      });
      expect(series?.points).toEqual([
        [t, 0],
        [t + 2, 2],
      ]);
      const before = errors.length;
      vi.advanceTimersByTime(60_000);
      await store.records.set('ns', 'after', 1);
      expect(
        errors.slice(before).filter((e) => (e as StoreError).code !== 'STORE_UNAVAILABLE'),
      ).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('bounds connecting to a server that never answers, and migrates once it does', async () => {
    const pid = server.pid();
    server.signal('SIGSTOP', pid);
    const store = new PostgresStore({ url: server.url, schema: uniqueSchema(), timeout: 500 });
    try {
      try {
        expect(await unavailable(() => store.records.get('ns', 'k'))).toBeLessThan(500 * 5);
      } finally {
        server.signal('SIGCONT', pid);
      }
      // The failed migration is not latched: a later call tries it again and succeeds. The
      // postmaster resumes with a backlog, so on a loaded machine the first call after SIGCONT
      // can still exceed 500 ms; a few tries are allowed, each still bounded by the timeout.
      expect(await eventually(() => store.records.get('ns', 'k'))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('bounds a statement on a connection whose backend stopped answering, then reconnects', async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    const store = new PostgresStore({ pool, schema: uniqueSchema(), timeout: 500 });
    try {
      await store.records.set('ns', 'k', 'v');
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const backend = rows[0]?.pid as number;
      server.signal('SIGSTOP', backend);
      try {
        expect(await unavailable(() => store.records.get('ns', 'k'))).toBeLessThan(500 * 5);
      } finally {
        server.signal('SIGCONT', backend);
      }
      // The stuck connection was destroyed, not handed back: the next call gets a fresh one.
      expect(await store.records.get('ns', 'k')).toMatchObject({ value: 'v' });
    } finally {
      await store.close();
      await pool.end();
    }
  });
});
