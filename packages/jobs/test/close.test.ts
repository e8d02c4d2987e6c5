import { afterEach, describe, expect, it } from 'vitest';
import { JobCancelledError, JobRunner } from '../src/index.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

describe('close', () => {
  it('lets running jobs finish within the timeout, then aborts the rest through their signals', async () => {
    const quick = gate();
    let signal: AbortSignal | undefined;
    const { jobs, clock } = runnerOnClock({
      quick: { handler: () => quick.promise },
      endless: {
        handler: (_: undefined, context) => {
          signal = context.signal;
          return new Promise(() => {});
        },
      },
    });
    const a = await jobs.run('quick', undefined);
    const b = await jobs.run('endless', undefined);
    await flush();
    const closing = jobs.close({ timeout: '5s' });
    await flush();
    quick.resolve();
    await tick(clock, 4_999);
    expect(signal?.aborted).toBe(false);
    await tick(clock, 1);
    const report = await closing;
    expect(report).toEqual({ dropped: 1, kept: 0, aborted: 1 });
    await expect(a.result).resolves.toBeUndefined();
    const error = await b.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobCancelledError);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
  });

  it('the memory backend drops queued and delayed jobs and says how many', async () => {
    const { jobs } = runnerOnClock(
      { a: { handler: () => new Promise(() => {}) } },
      { concurrency: 1 },
    );
    const handles = [];
    handles.push(await jobs.run('a', undefined));
    handles.push(await jobs.run('a', undefined));
    handles.push(await jobs.run('a', undefined, { delay: '1h' }));
    const report = await jobs.close({ timeout: 0 });
    expect(report).toEqual({ dropped: 3, kept: 0, aborted: 1 });
    for (const handle of handles)
      await expect(handle.result).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('a retry due during close is not queued again', async () => {
    const { jobs } = runnerOnClock({
      f: {
        retry: { maxAttempts: 3, initialDelay: 10 },
        handler: () => Promise.reject(new Error('no')),
      },
    });
    const handle = await jobs.run('f', undefined);
    const result = handle.result.catch((e: unknown) => e);
    await jobs.close();
    expect(await result).toBeInstanceOf(JobCancelledError);
  });

  it('is idempotent and works with await using', async () => {
    const jobs = new JobRunner({ types: { a: { handler: () => {} } } });
    const first = jobs.close();
    expect(jobs.close()).toBe(first);
    await first;
    {
      await using scoped = new JobRunner({ types: { a: { handler: () => {} } } });
      await (await scoped.run('a', undefined)).result;
    }
  });
});
