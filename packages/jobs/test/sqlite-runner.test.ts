import { type ManualClock, manualClock } from '@vigil/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JobCancelledError,
  JobRunner,
  type JobRunnerOptions,
  type JobTypes,
} from '../src/index.js';
import { sqliteBackend } from '../src/sqlite/index.js';
import { nextTurns, removeTempDatabases, tempDatabase } from './support/sqlite-files.js';

let clock: ManualClock;
let path: string;
const runners: JobRunner[] = [];

beforeEach(() => {
  clock = manualClock();
  path = tempDatabase();
});

afterEach(async () => {
  for (const jobs of runners.splice(0)) await jobs.close({ timeout: 0 });
  removeTempDatabases();
});

/** A runner on the test's file and manual clock: a new process, as far as the file can tell. */
function runner<T extends JobTypes>(
  types: T,
  options: Omit<JobRunnerOptions<T>, 'types'> = {},
  lease: number | string = '30s',
): JobRunner<T> {
  // The backend takes the runner's injected timers for its lease renewal.
  const backend = sqliteBackend({ path, lease });
  const jobs = new JobRunner<T>({ clock, timers: clock, ...options, backend, types });
  runners.push(jobs as unknown as JobRunner);
  return jobs;
}

/** Lets group commits and the work they release run, `ms` of manual time apart. */
async function pass(ms: number): Promise<void> {
  await nextTurns(5);
  clock.advance(ms);
  await nextTurns(5);
}

/** A handler's promise the test never settles. */
const forever = (): Promise<never> => new Promise(() => {});

describe('JobRunner on sqliteBackend: restarts', () => {
  it('jobs queued at close run in the next runner on the same file, all of them', async () => {
    const first = runner({ work: { handler: forever } }, { concurrency: 1 }, 100);
    const ids: string[] = [];
    for (let n = 0; n < 20; n++) ids.push(await first.enqueue('work', n));
    const report = await first.close({ timeout: 0 });
    expect(report).toMatchObject({ kept: 20, aborted: 1 });

    const ran: number[] = [];
    const seen: string[] = [];
    const second = runner(
      {
        work: {
          handler: (n: number, context) => {
            ran.push(n);
            seen.push(context.jobId);
          },
        },
      },
      {},
      100,
    );
    await second.ready();
    await pass(0);
    // The one that was running waits for its lease; the 19 queued ones run at once, in order.
    expect(ran).toEqual(Array.from({ length: 19 }, (_, n) => n + 1));
    await pass(100);
    expect(ran).toHaveLength(20);
    expect(ran.at(-1)).toBe(0);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('a job waiting for its retry keeps its attempts, history and backoff across a restart', async () => {
    const types = (attempts: number[]) => ({
      flaky: {
        retry: { maxAttempts: 3, initialDelay: 1_000, jitter: 'none' as const },
        handler: (_: undefined, context: { attempt: number }) => {
          attempts.push(context.attempt);
          throw new Error(`attempt ${context.attempt} failed`);
        },
      },
    });
    const before: number[] = [];
    const first = runner(types(before));
    await first.enqueue('flaky', undefined);
    await pass(0);
    expect(before).toEqual([1]);
    await first.close({ timeout: 0 });

    const after: number[] = [];
    const second = runner(types(after));
    const dead = new Promise((resolve) => second.once('dead-lettered', resolve));
    await second.ready();
    await pass(999);
    expect(after).toEqual([]);
    await pass(1);
    expect(after).toEqual([2]);
    await pass(2_000);
    expect(after).toEqual([2, 3]);
    await expect(dead).resolves.toMatchObject({ attempts: 3, reason: 'attempts' });
  });

  it('a job running at close runs again after a restart once its lease expired, as the same attempt', async () => {
    const first = runner({ stuck: { handler: forever } }, {}, '10s');
    const handle = await first.run('stuck', 'payload');
    await pass(0);
    const started = clock.now();
    const report = await first.close({ timeout: 0 });
    expect(report).toEqual({ dropped: 0, kept: 1, aborted: 1 });
    await expect(handle.result).rejects.toBeInstanceOf(JobCancelledError);

    const attempts: [string, number, string][] = [];
    const second = runner(
      {
        stuck: {
          handler: (payload: string, context) => {
            attempts.push([context.jobId, context.attempt, payload]);
          },
        },
      },
      {},
      '10s',
    );
    await second.ready();
    await pass(9_999 - (clock.now() - started));
    expect(attempts).toEqual([]);
    await pass(1);
    expect(attempts).toEqual([[handle.id, 1, 'payload']]);
  });

  it('a job that completed is not run again; a dead-lettered one neither', async () => {
    let runs = 0;
    const types = {
      ok: { handler: () => void runs++ },
      bad: {
        retry: false as const,
        handler: () => {
          runs++;
          throw new Error('no');
        },
      },
    };
    const first = runner(types);
    await first.enqueue('ok', undefined);
    await first.enqueue('bad', undefined);
    await pass(0);
    expect(runs).toBe(2);
    await first.close();
    const second = runner(types);
    await second.ready();
    await pass(60_000);
    expect(runs).toBe(2);
    expect(second.counts).toEqual({ queued: 0, running: 0 });
  });

  it('a keyed call joining a job recovered from the file is acknowledged at once', async () => {
    const first = runner({ pay: { handler: forever } }, {}, 100);
    await first.enqueue('pay', 1, { idempotencyKey: 'invoice-3' });
    await first.close({ timeout: 0 });
    let runs = 0;
    const second = runner({ pay: { handler: () => ++runs } }, {}, 100);
    await second.ready();
    const joined = second.run('pay', 1, { idempotencyKey: 'invoice-3' });
    await expect(joined.accepted).resolves.toBe(joined.id);
    await pass(100);
    await expect(joined.result).resolves.toBe(1);
    expect(runs).toBe(1);
  });

  it('a second runner on the file fails to start with JobBackendError while the first is open', async () => {
    const first = runner({ work: { handler: () => {} } });
    await first.ready();
    const failures: unknown[] = [];
    const second = runner({ work: { handler: () => {} } }, { onError: (e) => failures.push(e) });
    await expect(second.ready()).rejects.toMatchObject({ code: 'JOB_BACKEND_FAILED' });
  });
});
