import type { Timers } from '@vigil/core';
import { ConfigurationError } from '@vigil/core';
import { MAX_TIMER_DELAY } from '@vigil/core/options';
import { manualClock } from '@vigil/core/testing';
import { MemoryStore } from '@vigil/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { JobCancelledError, JobRunner, RunnerClosedError, SCHEDULER_LEASE } from '../src/index.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});
function track<R>(jobs: R): R {
  open.push(jobs as unknown as JobRunner);
  return jobs;
}

describe('runner edge cases', () => {
  it('a handler rejecting with a value JSON cannot hold (a BigInt) is dead-lettered and frees its slot', async () => {
    const { jobs } = runnerOnClock({
      t: {
        retry: false,
        breaker: false,
        concurrency: 1,
        handler: async (n: number) => {
          if (n === 1) throw 1n;
          return n;
        },
      },
    });
    track(jobs);
    const first = jobs.run('t', 1);
    const second = jobs.run('t', 2);
    await expect(first.result).rejects.toBe(1n);
    await expect(second.result).resolves.toBe(2);
    expect(jobs.counts).toEqual({ queued: 0, running: 0 });
  });

  it('a delay past the longest timer never asks for a longer one (no busy loop)', async () => {
    const clock = manualClock();
    const asked: number[] = [];
    const timers: Timers = {
      setTimeout: (callback, ms) => {
        asked.push(ms);
        return clock.setTimeout(callback, ms);
      },
      clearTimeout: (handle) => clock.clearTimeout(handle),
    };
    const jobs = track(new JobRunner({ clock, timers, types: { t: { handler: () => 'late' } } }));
    const handle = jobs.run('t', undefined, { delay: '30d' });
    await flush();
    expect(Math.max(...asked)).toBeLessThanOrEqual(MAX_TIMER_DELAY);
    await tick(clock, MAX_TIMER_DELAY);
    expect(handle.state).toBe('pending');
    await tick(clock, 30 * 86_400_000 - MAX_TIMER_DELAY);
    await expect(handle.result).resolves.toBe('late');
    expect(asked.length).toBeLessThan(10);
  });

  it('two replays of the same letters at once run each job once', async () => {
    let fail = true;
    const runs: number[] = [];
    const { jobs } = runnerOnClock({
      t: {
        retry: false,
        breaker: false,
        handler: (n: number) => {
          runs.push(n);
          if (fail) throw new Error('no');
        },
      },
    });
    track(jobs);
    for (const n of [1, 2, 3]) await jobs.run('t', n).result.catch(() => {});
    await flush();
    fail = false;
    runs.length = 0;
    const [a, b] = await Promise.all([jobs.deadLetters.replayAll(), jobs.deadLetters.replayAll()]);
    await flush();
    expect(a + b).toBeGreaterThanOrEqual(3);
    expect(runs.sort()).toEqual([1, 2, 3]);
  });

  it('close() cancels a job whose overdue attempt holds its retry', async () => {
    const { jobs, clock } = runnerOnClock({
      t: {
        timeout: 100,
        retry: { maxAttempts: 3, initialDelay: 10 },
        handler: () => new Promise(() => {}),
      },
    });
    const handle = jobs.run('t', undefined);
    await tick(clock, 150);
    const closing = jobs.close({ timeout: 50 });
    await tick(clock, 60);
    await closing;
    await expect(handle.result).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('drained comes after the retry of an overdue attempt is queued, not before', async () => {
    const hold = gate();
    const { jobs, clock } = runnerOnClock({
      t: {
        timeout: 100,
        retry: { maxAttempts: 2, initialDelay: 10, jitter: 'none' },
        handler: async (_: undefined, context) => {
          if (context.attempt === 1) await hold.promise;
          return 'done';
        },
      },
    });
    track(jobs);
    const events: string[] = [];
    jobs.on('drained', () => events.push(`drained queued=${jobs.counts.queued}`));
    const handle = jobs.run('t', undefined);
    await tick(clock, 100);
    hold.resolve();
    await flush();
    await tick(clock, 10);
    await expect(handle.result).resolves.toBe('done');
    await flush();
    expect(events).toEqual(['drained queued=0']);
  });

  it('close() with a bad timeout rejects and leaves the runner able to close', async () => {
    const jobs = new JobRunner({ types: { t: { handler: () => {} } } });
    await expect(jobs.close({ timeout: 'soon' as never })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    expect(jobs.closed).toBe(false);
    await expect(jobs.close({ timeout: 0 })).resolves.toEqual({ dropped: 0, kept: 0, aborted: 0 });
  });
});

describe('scheduler edge cases', () => {
  it('a resume from a follower reaches the leader', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock });
    let runs = 0;
    const make = (owner: string) =>
      track(
        new JobRunner({
          types: { t: { handler: () => void runs++ } },
          store,
          clock,
          timers: clock,
          scheduler: { owner },
        }),
      );
    const a = make('a');
    a.schedule('s', '* * * * *', { type: 't' });
    await tick(clock, 1_000);
    const b = make('b');
    b.schedule('s', '* * * * *', { type: 't' });
    for (let i = 0; i < 12; i++) await tick(clock, 5_000);
    expect(runs).toBe(1);
    await b.scheduler.pause('s');
    for (let i = 0; i < 12; i++) await tick(clock, 5_000);
    expect(runs).toBe(1);
    await b.scheduler.resume('s');
    for (let i = 0; i < 24; i++) await tick(clock, 5_000);
    expect(runs).toBe(3);
    for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
    await store.close();
  });

  it('close() during the first lease round releases the lease; no schedule after close', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock });
    const a = new JobRunner({ types: { t: { handler: () => {} } }, store, clock, timers: clock });
    a.schedule('s', '* * * * *', { type: 't' });
    await a.close();
    expect(await store.leases.get(SCHEDULER_LEASE)).toBeUndefined();
    expect(() => a.scheduleMaintenance()).toThrow(RunnerClosedError);
    expect(() => a.scheduler.start()).toThrow(RunnerClosedError);
    await store.close();
  });
});
