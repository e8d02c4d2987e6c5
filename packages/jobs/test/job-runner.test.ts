import { ConfigurationError } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InvalidPayloadError,
  JobRunner,
  RunnerClosedError,
  UnknownJobTypeError,
} from '../src/index.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

function track<R extends JobRunner>(jobs: R): R {
  open.push(jobs as unknown as JobRunner);
  return jobs;
}

describe('JobRunner.run and enqueue', () => {
  it('runs a job and answers its handle, with the id the handler sees', async () => {
    const seen: unknown[] = [];
    const jobs = track(
      new JobRunner({
        types: {
          double: {
            handler: (payload: { n: number }, context) => {
              seen.push(context.jobId, context.attempt, context.type);
              return payload.n * 2;
            },
          },
        },
      }),
    );
    const handle = await jobs.run('double', { n: 21 });
    await expect(handle.result).resolves.toBe(42);
    expect(seen).toEqual([handle.id, 1, 'double']);
    expect(handle.state).toBe('fulfilled');
  });

  it('enqueue resolves with the id once accepted; the job runs', async () => {
    const done = gate<string>();
    const jobs = track(
      new JobRunner({ types: { note: { handler: (text: string) => done.resolve(text) } } }),
    );
    const id = await jobs.enqueue('note', 'hello');
    expect(typeof id).toBe('string');
    await expect(done.promise).resolves.toBe('hello');
  });

  it('refuses an unknown type at the call, naming the known ones', () => {
    const jobs = track(new JobRunner({ types: { email: { handler: () => {} } } }));
    const error = caught(() => jobs.run('emial' as 'email', undefined));
    expect(error).toBeInstanceOf(UnknownJobTypeError);
    expect((error as Error).message).toContain("'email'");
  });

  it('refuses a payload that fails the type schema at the call', () => {
    const jobs = track(
      new JobRunner({
        types: {
          email: { schema: z.object({ to: z.email() }), handler: (_: { to: string }) => {} },
        },
      }),
    );
    const error = caught(() => jobs.run('email', { to: 'nobody' }));
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).code).toBe('INVALID_PAYLOAD');
    expect((error as Error).message).toContain('at to');
  });

  it('refuses bad run options at the call', () => {
    const jobs = track(new JobRunner({ types: { a: { handler: () => {} } } }));
    for (const options of [
      { delay: -1 },
      { priority: 'urgent' },
      { dealy: 5 },
      { delay: 5, runAt: 1 },
    ]) {
      expect(caught(() => jobs.run('a', undefined, options as never))).toBeInstanceOf(
        ConfigurationError,
      );
    }
  });

  it('refuses bad type options at construction, and names maxAttempts for retries', () => {
    const handler = () => {};
    expect(caught(() => new JobRunner({ types: {} }))).toBeInstanceOf(ConfigurationError);
    expect(
      caught(() => new JobRunner({ types: { a: { handler, concurrency: 0 } } })),
    ).toBeInstanceOf(ConfigurationError);
    const retries = caught(
      () => new JobRunner({ types: { a: { handler, retry: { retries: 3 } as never } } }),
    );
    expect((retries as Error).message).toContain('maxAttempts');
    expect(
      caught(
        () => new JobRunner({ types: { a: { handler, rateLimit: { max: 0, interval: '1s' } } } }),
      ),
    ).toBeInstanceOf(ConfigurationError);
    expect(caught(() => new JobRunner({ types: { a: {} as never } }))).toBeInstanceOf(
      ConfigurationError,
    );
  });

  it('throws RunnerClosedError at the call once closing', async () => {
    const jobs = new JobRunner({ types: { a: { handler: () => {} } } });
    const closing = jobs.close();
    expect(caught(() => jobs.run('a', undefined))).toBeInstanceOf(RunnerClosedError);
    await closing;
  });

  it('starts a delayed job at its time, not before', async () => {
    const started: number[] = [];
    const { jobs, clock } = runnerOnClock({
      later: { handler: () => void started.push(clock.now()) },
    });
    track(jobs);
    const t0 = clock.now();
    await jobs.run('later', undefined, { delay: '5s' });
    await tick(clock, 4_999);
    expect(started).toEqual([]);
    await tick(clock, 1);
    expect(started).toEqual([t0 + 5_000]);
    await jobs.run('later', undefined, { runAt: new Date(t0 + 7_000) });
    await tick(clock, 2_000);
    expect(started).toEqual([t0 + 5_000, t0 + 7_000]);
  });

  it('emits progress from the handler', async () => {
    const { jobs } = runnerOnClock({
      upload: {
        handler: (_: undefined, context) => {
          context.progress(0.5, 'half');
          context.progress(1);
        },
      },
    });
    track(jobs);
    const events: unknown[] = [];
    jobs.on('progress', ({ fraction, message }) => events.push([fraction, message]));
    await (await jobs.run('upload', undefined)).result;
    expect(events).toEqual([
      [0.5, 'half'],
      [1, undefined],
    ]);
  });

  it('the context can be destructured, progress included', async () => {
    const { jobs } = runnerOnClock({
      upload: {
        handler: (_: undefined, { progress, attempt, jobId }) => {
          progress(0.25, 'started');
          return `${jobId.length > 0} ${attempt}`;
        },
      },
    });
    track(jobs);
    const fractions: number[] = [];
    jobs.on('progress', ({ fraction }) => fractions.push(fraction));
    await expect(jobs.run('upload', undefined).result).resolves.toBe('true 1');
    expect(fractions).toEqual([0.25]);
  });

  it('emits queued, started, completed and drained in order', async () => {
    const { jobs } = runnerOnClock({ a: { handler: () => 'ok' } });
    track(jobs);
    const events: string[] = [];
    for (const name of ['queued', 'started', 'completed', 'drained'] as const) {
      jobs.on(name, () => events.push(name));
    }
    await (await jobs.run('a', undefined)).result;
    await flush();
    expect(events).toEqual(['queued', 'started', 'completed', 'drained']);
  });
});
