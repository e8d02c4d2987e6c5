import { afterEach, describe, expect, it } from 'vitest';
import { type JobRunner, UnrecoverableError } from '../src/index.js';
import { flush, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

function failing(
  times: number,
  make: (attempt: number) => unknown = (n) => new Error(`fail ${n}`),
) {
  const starts: number[] = [];
  return {
    starts,
    handler: (_: undefined, context: { attempt: number }) => {
      starts.push(context.attempt);
      if (context.attempt <= times) throw make(context.attempt);
      return 'ok';
    },
  };
}

describe('retries', () => {
  it('waits the exponential backoff between attempts, measured on the clock', async () => {
    const flaky = failing(3);
    const times: number[] = [];
    const { jobs, clock } = runnerOnClock({
      flaky: {
        handler: (payload: undefined, context) => {
          times.push(clock.now());
          return flaky.handler(payload, context);
        },
        retry: { maxAttempts: 4, initialDelay: 1_000, factor: 3, jitter: 'none' },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const handle = await jobs.run('flaky', undefined);
    for (const ms of [1_000, 3_000, 9_000]) await tick(clock, ms);
    await expect(handle.result).resolves.toBe('ok');
    expect(times.map((t) => t - (times[0] as number))).toEqual([0, 1_000, 4_000, 13_000]);
  });

  it('maxAttempts counts every attempt, the first included', async () => {
    const flaky = failing(10);
    const { jobs, clock } = runnerOnClock({
      flaky: {
        handler: flaky.handler,
        retry: { maxAttempts: 2, initialDelay: 10, jitter: 'none' },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const handle = await jobs.run('flaky', undefined);
    const result = handle.result.catch((error: unknown) => error);
    await tick(clock, 10);
    await tick(clock, 1_000);
    expect(((await result) as Error).message).toBe('fail 2');
    expect(flaky.starts).toEqual([1, 2]);
  });

  it('retry: false runs once', async () => {
    const flaky = failing(1);
    const { jobs } = runnerOnClock({ once: { handler: flaky.handler, retry: false } });
    open.push(jobs as unknown as JobRunner);
    const handle = await jobs.run('once', undefined);
    await expect(handle.result).rejects.toThrow('fail 1');
    expect(flaky.starts).toEqual([1]);
  });

  it('UnrecoverableError skips the remaining attempts and dead-letters at once', async () => {
    const flaky = failing(5, () => new UnrecoverableError('bad input'));
    const { jobs } = runnerOnClock({
      strict: { handler: flaky.handler, retry: { maxAttempts: 5 } },
    });
    open.push(jobs as unknown as JobRunner);
    const reasons: string[] = [];
    jobs.on('dead-lettered', ({ reason }) => reasons.push(reason));
    const handle = await jobs.run('strict', undefined);
    await expect(handle.result).rejects.toBeInstanceOf(UnrecoverableError);
    await flush();
    expect(flaky.starts).toEqual([1]);
    expect(reasons).toEqual(['unrecoverable']);
    expect((await jobs.deadLetters.get(handle.id))?.metadata?.['reason']).toBe('unrecoverable');
  });

  it('retryOn decides which errors are retried', async () => {
    const flaky = failing(5, (n) =>
      Object.assign(new Error(`fail ${n}`), { status: n === 1 ? 503 : 400 }),
    );
    const { jobs, clock } = runnerOnClock({
      http: {
        handler: flaky.handler,
        retry: {
          maxAttempts: 5,
          initialDelay: 10,
          retryOn: (error) => (error as { status: number }).status >= 500,
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const handle = await jobs.run('http', undefined);
    const result = handle.result.catch((error: unknown) => error);
    await tick(clock, 10);
    expect(((await result) as Error).message).toBe('fail 2');
    expect(flaky.starts).toEqual([1, 2]);
  });

  it('honours a retryAfter hint longer than the backoff', async () => {
    const flaky = failing(1, () => Object.assign(new Error('slow down'), { retryAfter: 5_000 }));
    const { jobs, clock } = runnerOnClock({
      api: { handler: flaky.handler, retry: { initialDelay: 10, maxDelay: '1m', jitter: 'none' } },
    });
    open.push(jobs as unknown as JobRunner);
    const delays: number[] = [];
    jobs.on('retrying', ({ delay }) => delays.push(delay));
    const handle = await jobs.run('api', undefined);
    await tick(clock, 4_999);
    expect(flaky.starts).toEqual([1]);
    await tick(clock, 1);
    await expect(handle.result).resolves.toBe('ok');
    expect(delays).toEqual([5_000]);
  });

  it('emits failed and retrying with the attempt numbers', async () => {
    const flaky = failing(1);
    const { jobs, clock } = runnerOnClock({
      f: { handler: flaky.handler, retry: { initialDelay: 10, jitter: 'none' } },
    });
    open.push(jobs as unknown as JobRunner);
    const events: unknown[] = [];
    jobs.on('failed', (e) => events.push(['failed', e.attempt, e.willRetry, e.timedOut]));
    jobs.on('retrying', (e) => events.push(['retrying', e.attempt, e.delay]));
    const handle = await jobs.run('f', undefined);
    await tick(clock, 10);
    await handle.result;
    expect(events).toEqual([
      ['failed', 1, true, false],
      ['retrying', 2, 10],
    ]);
  });
});
