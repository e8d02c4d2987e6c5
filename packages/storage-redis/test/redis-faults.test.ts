import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VigilError } from '@vigil/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';

// This file stops Redis, so it runs its own server on its own port, never the shared one.
const PORT = '56380';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = `${ROOT}scripts/redis.sh`;
const PID_FILE = `${ROOT}.vigil-tmp/redis-${PORT}/redis.pid`;
const TIMEOUT_MS = 1_000;

function server(action: 'start' | 'stop'): string {
  return execFileSync('bash', [SCRIPT, action, PORT], { encoding: 'utf8' }).trim();
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function serverPid(): number {
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  expect(pid).toBeGreaterThan(0);
  return pid;
}

/** Kills the server by pid (as a crash would) and waits, bounded, until it is gone. */
async function killServer(): Promise<void> {
  const pid = serverPid();
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isRunning(pid); i++) await pause(50);
  expect(isRunning(pid)).toBe(false);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fails the test (instead of hanging) if `call` has not settled within `ms`. */
async function settled<T>(call: Promise<T>, ms = TIMEOUT_MS * 5): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the call hung for ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectUnavailable(call: () => Promise<unknown>): Promise<void> {
  const error = await settled(
    call().then(
      () => undefined,
      (caught: unknown) => caught,
    ),
  );
  expect(error, 'the call should fail while Redis is down').toBeInstanceOf(VigilError);
  expect((error as VigilError).code, String(error)).toBe('STORE_UNAVAILABLE');
}

/** Retries `call` until it succeeds: at most 100 tries, 200 ms apart (20 s). */
async function eventually<T>(call: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      return await settled(call());
    } catch (error) {
      last = error;
      await pause(200);
    }
  }
  throw last;
}

const EVERY_CALL: Array<[string, (store: RedisStore) => Promise<unknown>]> = [
  ['records.get', (s) => s.records.get('ns', 'k')],
  ['records.set', (s) => s.records.set('ns', 'k', 1)],
  ['records.compareAndSet', (s) => s.records.compareAndSet('ns', 'k', 1, 2)],
  ['records.delete', (s) => s.records.delete('ns', 'k')],
  ['records.list', (s) => s.records.list('ns', '')],
  ['leases.acquire', (s) => s.leases.acquire('leader', 'a', '10s')],
  ['leases.renew', (s) => s.leases.renew('leader', 'a', '10s')],
  ['leases.release', (s) => s.leases.release('leader', 'a')],
  ['leases.get', (s) => s.leases.get('leader')],
  ['idempotency.claim', (s) => s.idempotency.claim('job', 1, '1h')],
  ['idempotency.update', (s) => s.idempotency.update('job', 2)],
  ['idempotency.get', (s) => s.idempotency.get('job')],
  ['idempotency.release', (s) => s.idempotency.release('job')],
  ['deadLetters.add', (s) => s.deadLetters.add(letter())],
  ['deadLetters.get', (s) => s.deadLetters.get('id')],
  ['deadLetters.list', (s) => s.deadLetters.list()],
  ['deadLetters.count', (s) => s.deadLetters.count()],
  ['deadLetters.remove', (s) => s.deadLetters.remove('id')],
  ['deadLetters.purge', (s) => s.deadLetters.purge(0)],
  ['timeSeries.append', (s) => s.timeSeries.append([point(0, 1)])],
  ['timeSeries.query', (s) => s.timeSeries.query({ metric: 'cpu', from: 0, to: 1, step: 1 })],
  ['timeSeries.deleteBefore', (s) => s.timeSeries.deleteBefore(0)],
  ['sweep', (s) => s.sweep()],
];

function letter() {
  return { queue: 'q', payload: { n: 1 }, error: { message: 'boom' }, attempts: 3 };
}

function point(timestamp: number, value: number) {
  return { metric: 'cpu', labels: { host: 'a' }, timestamp, value };
}

/**
 * Every kind of store works: a write and a read of each, under keys of their own (`tag`): the
 * test server keeps its data across a restart (AOF), so keys written before are still there.
 */
async function exerciseEveryStore(store: RedisStore, tag: string): Promise<void> {
  expect(await store.records.set('ns', tag, { ok: true })).toMatchObject({ version: 1 });
  expect(await store.records.get('ns', tag)).toMatchObject({ value: { ok: true } });
  expect(await store.leases.acquire(tag, 'a', '10s')).toMatchObject({ owner: 'a' });
  expect(await store.idempotency.claim(tag, 'first', '1h')).toEqual({ claimed: true });
  expect(await store.idempotency.get(tag)).toBe('first');
  const added = await store.deadLetters.add(letter());
  expect(await store.deadLetters.get(added.id)).toEqual(added);
  // A point of now: the store's background sweep (retention 1 h, every 50 ms) would delete an
  // older one between the append and the query.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  await store.timeSeries.append([point(now, 5)]);
  const series = await store.timeSeries.query({
    metric: 'cpu',
    from: now - 60_000,
    to: now + 60_000,
    step: 60_000,
  });
  expect(series.at(-1)?.points).toContainEqual([now, 5]);
}

describe('RedisStore when the server goes away', () => {
  let url: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
    url = server('start');
  });

  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    server('stop');
  });

  it('fails every call with STORE_UNAVAILABLE, reports sweeps to onError, and recovers', async () => {
    const background: unknown[] = [];
    const store = new RedisStore({
      url,
      keyPrefix: 'faults:',
      timeout: TIMEOUT_MS,
      retention: '1h',
      sweepInterval: 50,
      onError: (error) => background.push(error),
    });
    try {
      await exerciseEveryStore(store, 'before');
      await killServer();

      for (const [name, call] of EVERY_CALL) {
        await expectUnavailable(() => call(store)).catch((error: unknown) => {
          throw new Error(`${name}: ${String(error)}`);
        });
      }
      // The background sweep keeps running; its failures go to onError, never into the host.
      for (let i = 0; i < 100 && background.length === 0; i++) await pause(50);
      expect(background.length).toBeGreaterThan(0);
      expect((background[0] as VigilError).code).toBe('STORE_UNAVAILABLE');

      server('start');
      // New writes and reads work again.
      await eventually(() => store.records.set('ns', 'probe', 1));
      await exerciseEveryStore(store, 'after');
      await expect(store.sweep()).resolves.toBeTypeOf('number');
      expect(unhandled).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('starts while the server is down, fails fast, and works once it is up', async () => {
    await killServer();
    const store = new RedisStore({ url, keyPrefix: 'late:', timeout: TIMEOUT_MS });
    try {
      await expectUnavailable(() => store.records.get('ns', 'k'));
      await expectUnavailable(() => store.leases.acquire('leader', 'a', '10s'));
      server('start');
      await eventually(() => store.records.get('ns', 'k'));
      await exerciseEveryStore(store, 'late');
    } finally {
      await store.close();
    }
  }, 60_000);

  it('fails calls after `timeout` while the server hangs (SIGSTOP), and recovers on SIGCONT', async () => {
    const store = new RedisStore({ url, keyPrefix: 'hang:', timeout: TIMEOUT_MS });
    const pid = serverPid();
    try {
      await exerciseEveryStore(store, 'after');
      process.kill(pid, 'SIGSTOP');
      try {
        await expectUnavailable(() => store.records.get('ns', 'after'));
        await expectUnavailable(() => store.leases.renew('after', 'a', '10s'));
        await expectUnavailable(() => store.timeSeries.append([point(180_000, 1)]));
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      await eventually(() => store.records.get('ns', 'after'));
      expect(await store.records.get('ns', 'after')).toMatchObject({ value: { ok: true } });
      expect(await store.leases.renew('after', 'a', '10s')).toMatchObject({ owner: 'a' });
    } finally {
      await store.close();
    }
  }, 60_000);
  it('answers claimed: true to the retry of a claim reported STORE_UNAVAILABLE but applied', async () => {
    const store = new RedisStore({ url, keyPrefix: 'orphan:', timeout: TIMEOUT_MS });
    const other = new RedisStore({ url, keyPrefix: 'orphan:', timeout: TIMEOUT_MS });
    const admin = new Redis(url);
    try {
      await store.idempotency.get('warm-up'); // connected, scripts loaded
      // Redis holds every client's commands for longer than the timeout, then runs them: the
      // claim fails with STORE_UNAVAILABLE, and is applied afterwards.
      await admin.client('PAUSE', TIMEOUT_MS * 1.5, 'ALL');
      await expectUnavailable(() => store.idempotency.claim('export-42', 'mine', '1h'));
      await eventually(() => admin.ping());
      expect(await store.idempotency.get('export-42')).toBe('mine');
      // Another process sees the key taken, as after a crash of the claimer.
      expect(await other.idempotency.claim('export-42', 'theirs', '1h')).toEqual({
        claimed: false,
        value: 'mine',
      });
      // The caller's retry: the claim is its own.
      expect(await store.idempotency.claim('export-42', 'mine', '1h')).toEqual({ claimed: true });
      // Handed over once: a later claim through the same store loses, as any claim of a live key.
      expect(await store.idempotency.claim('export-42', 'again', '1h')).toEqual({
        claimed: false,
        value: 'mine',
      });
    } finally {
      admin.disconnect();
      await store.close();
      await other.close();
    }
  }, 60_000);
});
