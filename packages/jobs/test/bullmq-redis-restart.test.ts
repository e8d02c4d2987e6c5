import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@vigil/core';
import { RedisStore } from '@vigil/storage-redis';
import { deferred, parseExposition } from '@vigil/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqBackend } from '../src/bullmq/index.js';
import { type BackendEvent, JobBackendError, JobRunner, jobsHealthCheck } from '../src/index.js';
import { until, wait } from './support/bullmq.js';

// Its own Redis on 56392, killed and started again; the shared one is never touched.
const PORT = 56392;
const SCRIPT = fileURLToPath(new URL('../../../scripts/redis.sh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-redis-restart-'));
const redis = (action: 'start' | 'stop'): string =>
  execFileSync('bash', [SCRIPT, action, String(PORT), dir], { encoding: 'utf8' }).trim();
let url = '';

beforeAll(() => {
  url = redis('start');
});
afterAll(() => {
  redis('stop');
  rmSync(dir, { recursive: true, force: true });
});

async function gauge(registry: Registry, name: string): Promise<number | undefined> {
  const { families } = parseExposition(await registry.metrics());
  return families.flatMap((family) => family.samples).find((sample) => sample.name === name)?.value;
}

describe('bullmq backend when Redis is killed and started again', () => {
  it('reports it (event, status, metric, health), keeps the host alive, and resumes without losing a job', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    const events: BackendEvent[] = [];
    const done: number[] = [];
    const store = new RedisStore({ url, keyPrefix: 'store:' });
    const jobs = new JobRunner({
      store,
      registry,
      onError: (error) => errors.push(error),
      backend: bullmqBackend({ url, prefix: 'restart', countsTtl: 0 }),
      types: { work: { concurrency: 4, handler: (n: number) => void done.push(n) } },
    });
    jobs.on('backend', (event) => events.push(event));
    const health = jobsHealthCheck(jobs);
    try {
      await jobs.ready();
      for (let n = 0; n < 20; n++) await jobs.enqueue('work', n);
      // Acknowledged before the kill, due after the restart.
      for (let n = 20; n < 25; n++) await jobs.enqueue('work', n, { delay: 3_000 });
      await until(() => done.length === 20, 'the first jobs');
      expect(await gauge(registry, 'vigil_jobs_queued')).toBe(5);
      // AOF is written every second: the kill comes after the last acknowledgement reached it.
      await wait(1_500);
      const pid = Number(readFileSync(join(dir, 'redis.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');

      await until(() => events.some((event) => !event.up), 'the backend event');
      expect(jobs.backend).toMatchObject({ name: 'bullmq', up: false });
      expect(health.run()).toMatchObject({ status: 'fail', details: { 'backend.up': false } });
      expect(await gauge(registry, 'vigil_jobs_backend_up')).toBe(0);
      expect(errors.length).toBeGreaterThan(0);
      // Submitting fails fast with a typed error instead of waiting for Redis.
      const started = performance.now();
      const refused = await jobs.enqueue('work', 99).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(JobBackendError);
      expect(performance.now() - started).toBeLessThan(2_000);

      await wait(1_000);
      redis('start');
      await until(() => events.at(-1)?.up === true, 'the backend to come back');
      expect(jobs.backend).toEqual({ name: 'bullmq', durable: true, up: true });
      expect(health.run().status).toBe('pass');
      expect(await gauge(registry, 'vigil_jobs_backend_up')).toBe(1);
      for (let n = 25; n < 30; n++) await jobs.enqueue('work', n);
      await until(() => done.length >= 30, 'every job, the delayed ones included');
      expect([...new Set(done)].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 30 }, (_, n) => n),
      );
      // One report for the outage, not one per reconnection attempt of every connection.
      expect(errors.length).toBeLessThanOrEqual(3);
    } finally {
      await jobs.close({ timeout: 1_000 });
      await store.close();
    }
  }, 60_000);

  it('closes within its timeout while Redis is down, a job still running', async () => {
    const release = deferred();
    let started = false;
    const jobs = new JobRunner({
      onError: () => undefined,
      backend: bullmqBackend({
        url,
        prefix: 'close-down',
        lockDuration: 1_000,
        stalledInterval: 500,
      }),
      types: {
        slow: {
          handler: async () => {
            started = true;
            await release.promise;
          },
        },
      },
    });
    try {
      await jobs.ready();
      await jobs.enqueue('slow', undefined);
      await until(() => started, 'the job to start');
      await wait(1_100);
      process.kill(Number(readFileSync(join(dir, 'redis.pid'), 'utf8')), 'SIGKILL');
      await until(() => !jobs.backend.up, 'the backend to be down');
      const closing = performance.now();
      const report = await jobs.close({ timeout: 500 });
      expect(performance.now() - closing).toBeLessThan(3_000);
      expect(report).toMatchObject({ aborted: 1 });
    } finally {
      release.resolve();
      redis('start');
    }
    // The job was kept: a new runner finds it (stalled) once its lock has expired.
    let ran = false;
    const next = new JobRunner({
      backend: bullmqBackend({
        url,
        prefix: 'close-down',
        lockDuration: 1_000,
        stalledInterval: 500,
      }),
      types: { slow: { handler: () => void (ran = true) } },
    });
    try {
      await until(() => ran, 'the kept job to run again', 40_000);
    } finally {
      await next.close();
    }
  }, 60_000);
});
