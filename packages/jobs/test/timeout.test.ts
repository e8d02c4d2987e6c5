import { TimeoutError } from '@vigil/resilience';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRunner } from '../src/index.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

describe('timeouts', () => {
  it('fails an attempt past its timeout with TimeoutError and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const { jobs, clock } = runnerOnClock({
      slow: {
        timeout: '2s',
        retry: false,
        handler: (_: undefined, context) => {
          signal = context.signal;
          return new Promise((_resolve, reject) => {
            context.signal.addEventListener('abort', () => reject(context.signal.reason));
          });
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const timedOut: boolean[] = [];
    jobs.on('failed', (e) => timedOut.push(e.timedOut));
    const handle = await jobs.run('slow', undefined);
    const result = handle.result.catch((error: unknown) => error);
    await tick(clock, 1_999);
    expect(signal?.aborted).toBe(false);
    await tick(clock, 1);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(timedOut).toEqual([true]);
  });

  it('a handler that ignores its signal keeps its slot until it settles: concurrency never exceeds the limit', async () => {
    const stuck = gate();
    const started: string[] = [];
    const { jobs, clock } = runnerOnClock({
      sticky: {
        concurrency: 1,
        timeout: '1s',
        retry: false,
        handler: async (id: string) => {
          started.push(id);
          if (id === 'first') await stuck.promise;
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const first = await jobs.run('sticky', 'first');
    await jobs.run('sticky', 'second');
    const firstResult = first.result.catch((error: unknown) => error);
    await tick(clock, 1_000);
    expect(await firstResult).toBeInstanceOf(TimeoutError);
    await tick(clock, 60_000);
    expect(started).toEqual(['first']);
    expect(jobs.stats()['sticky']).toMatchObject({ running: 1, overdue: 1, queued: 1 });
    stuck.resolve();
    await flush();
    expect(started).toEqual(['first', 'second']);
    expect(jobs.stats()['sticky']).toMatchObject({ overdue: 0 });
  });

  it('the retry of a timed-out attempt waits until its handler settles: a job never runs twice at once', async () => {
    const stuck = gate();
    const attempts: number[] = [];
    let running = 0;
    let peak = 0;
    const { jobs, clock } = runnerOnClock({
      t: {
        concurrency: 5,
        timeout: 100,
        retry: { maxAttempts: 2, initialDelay: 10, jitter: 'none' },
        handler: async (_: undefined, context) => {
          attempts.push(context.attempt);
          running++;
          peak = Math.max(peak, running);
          if (context.attempt === 1) await stuck.promise;
          running--;
          return 'done';
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const handle = jobs.run('t', undefined);
    await tick(clock, 100);
    await tick(clock, 1_000);
    expect(attempts).toEqual([1]);
    stuck.resolve();
    await flush();
    await tick(clock, 10);
    await expect(handle.result).resolves.toBe('done');
    expect(attempts).toEqual([1, 2]);
    expect(peak).toBe(1);
  });

  it('a timed-out attempt is retried like any failure', async () => {
    const attempts: number[] = [];
    const { jobs, clock } = runnerOnClock({
      t: {
        timeout: 100,
        retry: { maxAttempts: 2, initialDelay: 10, jitter: 'none' },
        handler: (_: undefined, context) => {
          attempts.push(context.attempt);
          if (context.attempt === 1) {
            return new Promise((_r, reject) =>
              context.signal.addEventListener('abort', () => reject(new Error('aborted'))),
            );
          }
          return 'second time';
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const handle = await jobs.run('t', undefined);
    await tick(clock, 100);
    await tick(clock, 10);
    await expect(handle.result).resolves.toBe('second time');
    expect(attempts).toEqual([1, 2]);
  });
});
