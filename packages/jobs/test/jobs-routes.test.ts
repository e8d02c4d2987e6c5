import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from '@vigil/core';
import { MANUAL_CLOCK_EPOCH } from '@vigil/core/testing';
import { createMonitoringRouter, type RouteProvider } from '@vigil/http';
import { MemoryStore } from '@vigil/storage';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRunner } from '../src/index.js';
import { jobsRoutes } from '../src/jobs-routes.js';
import { flush, runnerOnClock, tick } from './support/runner.js';

const TOKEN = 'a-token-long-enough-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Fixture {
  jobs: JobRunner;
  /** Payloads the `export` handler was called with, in order. */
  calls: number[];
  /** Whether `export` jobs succeed from now on (at first they all fail). */
  heal(): void;
  /** Advances the manual clock, letting what it woke run. */
  advance(ms: number): Promise<void>;
}

/**
 * A runner on a manual clock with two types that throw without retries, so every job ends as a
 * dead letter: `export` (until `heal()`) and `import`.
 */
function fixture(options: { store?: MemoryStore } = {}): Fixture {
  const calls: number[] = [];
  let healthy = false;
  const { jobs, clock } = runnerOnClock(
    {
      export: {
        retry: false,
        breaker: false,
        handler: async (n: number) => {
          calls.push(n);
          if (!healthy) throw new Error(`export ${n} failed`);
          return n;
        },
      },
      import: {
        retry: false,
        breaker: false,
        handler: () => Promise.reject(new Error('import failed')),
      },
    },
    options,
  );
  cleanups.push(() => jobs.close({ timeout: 0 }));
  return {
    jobs: jobs as unknown as JobRunner,
    calls,
    heal: () => {
      healthy = true;
    },
    advance: (ms) => tick(clock, ms),
  };
}

/** Runs each job and lets it fail into the dead-letter queue, one second apart. */
async function deadLetter(f: Fixture, jobs: readonly [string, number][]): Promise<string[]> {
  const ids: string[] = [];
  for (const [type, payload] of jobs) {
    const handle = await f.jobs.run(type, payload);
    handle.result.catch(() => {});
    ids.push(handle.id);
    await f.advance(1_000);
  }
  await flush();
  return ids;
}

/** The jobs routes on a real monitoring router, served by `node:http` on 127.0.0.1. */
async function serve(jobs: JobRunner, token?: string): Promise<string> {
  const provider: RouteProvider = jobsRoutes(jobs);
  const router = createMonitoringRouter({
    registry: new Registry(),
    routes: [provider],
    ...(token === undefined ? {} : { token }),
  });
  const server = createServer((req, res) => {
    router.handle(req, res).then((handled) => {
      if (handled) return;
      res.statusCode = 418;
      res.end('app');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('jobsRoutes', () => {
  it('is a RouteProvider named @vigil/jobs whose writes change state', () => {
    const { jobs } = fixture();
    const provider: RouteProvider = jobsRoutes(jobs);
    expect(provider.name).toBe('@vigil/jobs');
    expect(provider.routes.map((r) => `${r.method} ${r.path} ${r.changesState}`)).toEqual([
      'GET /jobs false',
      'GET /jobs/dead-letters false',
      'GET /jobs/dead-letters/:id false',
      'POST /jobs/dead-letters/replay true',
      'POST /jobs/dead-letters/:id/replay true',
      'DELETE /jobs/dead-letters true',
      'GET /scheduler false',
      'POST /scheduler/start true',
      'POST /scheduler/stop true',
      'POST /scheduler/:name/run true',
    ]);
  });

  it('GET /jobs answers the backend, counts, dead letters and each type’s stats', async () => {
    const f = fixture();
    await deadLetter(f, [['export', 1]]);
    f.heal();
    const ok = await f.jobs.run('export', 2);
    await ok.result;
    const url = await serve(f.jobs);
    const { status, body } = await getJson(`${url}/jobs`);
    expect(status).toBe(200);
    expect(body).toEqual({
      backend: { name: 'memory', durable: false, up: true },
      counts: { queued: 0, running: 0 },
      deadLetters: { stored: 1, dropped: 0 },
      types: {
        export: {
          queued: 0,
          delayed: 0,
          running: 0,
          overdue: 0,
          longestRunning: 0,
          concurrency: 10,
          completed: 1,
          failed: 1,
          deadLettered: 1,
          recovered: 0,
          failureRate: 0.5,
          recentAttempts: 2,
          timeout: null,
          breaker: null,
          p50: expect.any(Number),
          p95: expect.any(Number),
          lastError: { message: 'export 1 failed', at: MANUAL_CLOCK_EPOCH },
        },
        import: expect.objectContaining({
          completed: 0,
          failed: 0,
          failureRate: 0,
          recentAttempts: 0,
          p50: null,
          p95: null,
          lastError: null,
        }),
      },
    });
  });

  describe('GET /jobs/dead-letters', () => {
    it('pages through the letters, oldest first, filtered by type and time', async () => {
      const f = fixture();
      const ids = await deadLetter(f, [
        ['export', 1],
        ['import', 2],
        ['export', 3],
        ['export', 4],
        ['export', 5],
      ]);
      const url = await serve(f.jobs);
      const first = await getJson(`${url}/jobs/dead-letters?type=export&limit=2`);
      expect(first.status).toBe(200);
      const page1 = first.body as { letters: { id: string }[]; cursor: string | null };
      expect(page1.letters.map((letter) => letter.id)).toEqual([ids[0], ids[2]]);
      expect(page1.letters[0]).toEqual({
        id: ids[0],
        type: 'export',
        payload: 1,
        error: expect.objectContaining({ message: 'export 1 failed', name: 'Error' }),
        attempts: 1,
        failedAt: MANUAL_CLOCK_EPOCH,
        metadata: expect.objectContaining({ reason: 'attempts', replays: 0 }),
      });
      expect(page1.cursor).toEqual(expect.any(String));
      const second = await getJson(
        `${url}/jobs/dead-letters?type=export&limit=2&cursor=${encodeURIComponent(page1.cursor as string)}`,
      );
      expect(second.body).toEqual({
        letters: [expect.objectContaining({ id: ids[3] }), expect.objectContaining({ id: ids[4] })],
        cursor: null,
      });
      // from is inclusive, to exclusive; both take ms or an ISO 8601 date.
      const from = new Date(MANUAL_CLOCK_EPOCH + 1_000).toISOString();
      const window = await getJson(
        `${url}/jobs/dead-letters?from=${from}&to=${MANUAL_CLOCK_EPOCH + 3_000}`,
      );
      expect((window.body as { letters: { id: string }[] }).letters.map((l) => l.id)).toEqual([
        ids[1],
        ids[2],
      ]);
      const one = await getJson(`${url}/jobs/dead-letters/${ids[1]}`);
      expect(one).toEqual({
        status: 200,
        body: expect.objectContaining({ id: ids[1], type: 'import', payload: 2 }),
      });
    });

    it.each([
      ['limit=0', 'query parameter', /^limit should be an integer from 1 to 10000, got "0"$/],
      ['limit=ten', 'query parameter', /^limit should be an integer from 1 to 10000, got "ten"$/],
      ['from=yesterday', 'time', /^query parameter from should be a time: ms since the epoch/],
      ['to=-5', 'time', /^query parameter to should be a time/],
      ['from=2000&to=1000', 'order', /^from \(2000\) should not be after to \(1000\)$/],
      ['type=', 'type', /^query parameter type should be a job type, got an empty string$/],
      ['tpye=export', 'unknown', /^unknown query parameter 'tpye'; the parameters are type, from/],
      ['type=a&type=b', 'repeated', /^query parameter 'type' should be given once$/],
      ['cursor=not-ours', 'cursor', /cursor "not-ours" was not returned by list\(\)/],
    ])('answers 400 HTTP_BAD_REQUEST to ?%s (%s)', async (query, _what, message) => {
      const f = fixture();
      const url = await serve(f.jobs);
      const { status, body } = await getJson(`${url}/jobs/dead-letters?${query}`);
      expect(status).toBe(400);
      expect(body).toEqual({ code: 'HTTP_BAD_REQUEST', message: expect.stringMatching(message) });
    });

    it('answers 404 DEAD_LETTER_NOT_FOUND for an unknown letter', async () => {
      const url = await serve(fixture().jobs);
      expect(await getJson(`${url}/jobs/dead-letters/nope`)).toEqual({
        status: 404,
        body: { code: 'DEAD_LETTER_NOT_FOUND', message: 'no dead letter with id "nope"' },
      });
    });
  });

  describe('writes', () => {
    it('POST /jobs/dead-letters/:id/replay runs the job again and removes its letter', async () => {
      const f = fixture();
      const [id] = await deadLetter(f, [['export', 7]]);
      f.heal();
      const url = await serve(f.jobs, TOKEN);
      const response = await fetch(`${url}/jobs/dead-letters/${id}/replay`, {
        method: 'POST',
        headers: auth,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ jobId: id });
      await flush();
      expect(f.calls).toEqual([7, 7]);
      expect(f.jobs.stats()['export']).toMatchObject({ completed: 1 });
      expect((await getJson(`${url}/jobs/dead-letters/${id}`)).status).toBe(404);
      const again = await fetch(`${url}/jobs/dead-letters/${id}/replay`, {
        method: 'POST',
        headers: auth,
      });
      expect(again.status).toBe(404);
      expect(await again.json()).toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });
    });

    it('POST /jobs/dead-letters/replay replays the letters a JSON filter takes, or all', async () => {
      const f = fixture();
      await deadLetter(f, [
        ['export', 1],
        ['import', 2],
        ['export', 3],
        ['export', 4],
      ]);
      f.heal();
      const url = await serve(f.jobs, TOKEN);
      const replay = (body?: unknown) =>
        fetch(`${url}/jobs/dead-letters/replay`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const filtered = await replay({ type: 'export', to: MANUAL_CLOCK_EPOCH + 3_000 });
      expect(await filtered.json()).toEqual({ replayed: 2 });
      await flush();
      expect(f.calls).toEqual([1, 3, 4, 1, 3]);
      // No body: every letter. The import job fails again and is dead-lettered anew.
      expect(await (await replay()).json()).toEqual({ replayed: 2 });
      await flush();
      expect(f.calls).toEqual([1, 3, 4, 1, 3, 4]);
      const left = await getJson(`${url}/jobs/dead-letters`);
      expect((left.body as { letters: { type: string }[] }).letters).toEqual([
        expect.objectContaining({
          type: 'import',
          metadata: expect.objectContaining({ replays: 1 }),
        }),
      ]);
      const bad = await replay({ type: 'export', form: 0 });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        code: 'HTTP_BAD_REQUEST',
        message: "unknown filter field 'form'; the fields are type, from, to",
      });
      const notJson = await fetch(`${url}/jobs/dead-letters/replay`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"type":',
      });
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toMatchObject({ code: 'HTTP_INVALID_JSON' });
      const inQuery = await fetch(`${url}/jobs/dead-letters/replay?type=import`, {
        method: 'POST',
        headers: auth,
      });
      expect(inQuery.status).toBe(400);
      expect(f.calls).toHaveLength(6);
    });

    it('DELETE /jobs/dead-letters purges the letters the filter takes', async () => {
      const f = fixture();
      const ids = await deadLetter(f, [
        ['export', 1],
        ['import', 2],
        ['import', 3],
        ['export', 4],
      ]);
      const url = await serve(f.jobs, TOKEN);
      const purge = (query: string) =>
        fetch(`${url}/jobs/dead-letters${query}`, { method: 'DELETE', headers: auth });
      const misspelt = await purge('?typ=import');
      expect(misspelt.status).toBe(400);
      const byType = await purge(`?type=import&from=${MANUAL_CLOCK_EPOCH + 2_000}`);
      expect(await byType.json()).toEqual({ purged: 1 });
      const left = await getJson(`${url}/jobs/dead-letters`);
      expect((left.body as { letters: { id: string }[] }).letters.map((l) => l.id)).toEqual([
        ids[0],
        ids[1],
        ids[3],
      ]);
      expect(await (await purge('')).json()).toEqual({ purged: 3 });
      expect(await f.jobs.deadLetters.count()).toBe(0);
    });

    it('are off (403) without a router token, and need the right bearer token with one', async () => {
      const f = fixture();
      const [id] = await deadLetter(f, [['export', 1]]);
      const writes = [
        ['POST', `/jobs/dead-letters/${id}/replay`],
        ['POST', '/jobs/dead-letters/replay'],
        ['DELETE', '/jobs/dead-letters'],
      ] as const;
      const open = await serve(f.jobs);
      const locked = await serve(f.jobs, TOKEN);
      for (const [method, path] of writes) {
        const off = await fetch(open + path, { method, headers: auth });
        expect(off.status, `${method} ${path}`).toBe(403);
        expect(await off.json()).toMatchObject({ code: 'HTTP_WRITES_DISABLED' });
        const missing = await fetch(locked + path, { method });
        expect(missing.status, `${method} ${path}`).toBe(401);
        expect(await missing.json()).toMatchObject({ code: 'HTTP_UNAUTHORIZED' });
        const wrong = await fetch(locked + path, {
          method,
          headers: { authorization: 'Bearer not-the-token-0123456789' },
        });
        expect(wrong.status, `${method} ${path}`).toBe(401);
      }
      expect(f.calls).toEqual([1]);
      expect(await f.jobs.deadLetters.count()).toBe(1);
      // Reads need no token.
      expect((await fetch(`${locked}/jobs/dead-letters`)).status).toBe(200);
      const accepted = await fetch(`${locked}/jobs/dead-letters`, {
        method: 'DELETE',
        headers: auth,
      });
      expect(await accepted.json()).toEqual({ purged: 1 });
    });

    it('answers 503 RUNNER_CLOSED to a replay once the runner is closed', async () => {
      // A store of the app's own, which outlives the runner (the runner closes one it made).
      const store = new MemoryStore();
      cleanups.push(() => store.close());
      const f = fixture({ store });
      const [id] = await deadLetter(f, [['export', 1]]);
      const url = await serve(f.jobs, TOKEN);
      await f.jobs.close({ timeout: 0 });
      const response = await fetch(`${url}/jobs/dead-letters/${id}/replay`, {
        method: 'POST',
        headers: auth,
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'RUNNER_CLOSED' });
    });

    it('answers 503 RUNNER_CLOSED to reads too once the runner closed its own store', async () => {
      const f = fixture({});
      const url = await serve(f.jobs, TOKEN);
      await f.jobs.close({ timeout: 0 });
      for (const path of ['/jobs', '/jobs/dead-letters']) {
        const response = await fetch(`${url}${path}`, { headers: auth });
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ code: 'RUNNER_CLOSED' });
      }
    });
  });
});

describe('scheduler routes', () => {
  it('GET /scheduler shows the schedules; run, stop and start need the token', async () => {
    const { jobs } = runnerOnClock({ report: { handler: () => 'done' } });
    cleanups.push(() => jobs.close({ timeout: 0 }));
    jobs.schedule('hourly', '0 * * * *', { type: 'report' });
    const url = await serve(jobs as unknown as JobRunner, TOKEN);
    const status = (await (await fetch(`${url}/scheduler`, { headers: auth })).json()) as {
      schedules: unknown[];
    };
    expect(status.schedules).toMatchObject([{ name: 'hourly', cron: '0 * * * *', type: 'report' }]);
    const refused = await fetch(`${url}/scheduler/hourly/run`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const ran = await fetch(`${url}/scheduler/hourly/run`, { method: 'POST', headers: auth });
    expect(ran.status).toBe(200);
    expect(await ran.json()).toEqual({ jobId: expect.any(String) });
    const unknown = await fetch(`${url}/scheduler/nope/run`, { method: 'POST', headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'HTTP_NOT_FOUND' });
    const stopped = await fetch(`${url}/scheduler/stop`, { method: 'POST', headers: auth });
    expect(await stopped.json()).toEqual({ stopped: true });
    expect(jobs.scheduler.leader).toBe(false);
    const started = await fetch(`${url}/scheduler/start`, { method: 'POST', headers: auth });
    expect(await started.json()).toEqual({ started: true });
  });
});
