import { type ManualClock, manualClock } from '@vigil/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../errors.js';
import type { JobRunner } from '../job-runner.js';
import type { JobRunnerOptions, JobTypes } from '../job-runner-options.js';
import type { JobBackendContractOptions, JobBackendSubject } from './contract-subject.js';

/** A promise the test settles. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The conformance suite every job backend runs, in one call from a vitest test file. It drives
 * the backend only through `JobRunner`'s public API: ordering, priorities, retries, delays,
 * idempotency, dead-lettering, close (and, for a durable backend, what survives it).
 *
 * ```ts
 * describeJobBackendContract('sqlite', {
 *   setup: async () => {
 *     const path = tempFile();
 *     return { durable: true, time: 'manual', cleanup: async () => rm(path),
 *       runner: (options) => new JobRunner({ ...options, backend: sqliteBackend({ path }) }) };
 *   },
 * });
 * ```
 */
export function describeJobBackendContract(name: string, options: JobBackendContractOptions): void {
  describe(`${name} (job backend contract)`, () => {
    let subject: JobBackendSubject | undefined;
    let clock: ManualClock;
    const runners: JobRunner[] = [];

    beforeEach(async () => {
      clock = manualClock();
      subject = await options.setup(clock);
    }, options.timeout);

    afterEach(async () => {
      for (const runner of runners.splice(0)) await runner.close({ timeout: 0 });
      await subject?.cleanup();
      subject = undefined;
    }, options.timeout);

    const test = (title: string, body: () => Promise<void>): void => {
      it(title, body, options.timeout);
    };

    function runner<T extends JobTypes>(runnerOptions: JobRunnerOptions<T>): JobRunner<T> {
      if (subject === undefined) throw new Error('the contract subject was not set up');
      const timed =
        subject.time === 'manual' ? { ...runnerOptions, clock, timers: clock } : runnerOptions;
      const made = subject.runner(timed);
      runners.push(made as unknown as JobRunner);
      return made;
    }

    /** Lets `ms` pass: on the manual clock, or for real (plus a margin) for backends that keep time. */
    async function pass(ms: number): Promise<void> {
      if (subject?.time === 'manual') {
        for (let i = 0; i < 5; i++) await nextTurn();
        clock.advance(ms);
        for (let i = 0; i < 5; i++) await nextTurn();
      } else {
        await new Promise((resolve) => setTimeout(resolve, ms + 50));
      }
    }

    /** Waits until `condition` holds, turning the event loop (bounded). */
    async function until(condition: () => boolean): Promise<void> {
      for (let i = 0; i < 2_000 && !condition(); i++) {
        await (subject?.time === 'real' ? new Promise((r) => setTimeout(r, 5)) : nextTurn());
      }
      expect(condition()).toBe(true);
    }

    test('runs a job and answers its result through the handle', async () => {
      const jobs = runner({
        types: { add: { handler: (p: { a: number; b: number }) => p.a + p.b } },
      });
      const handle = await jobs.run('add', { a: 2, b: 3 });
      await expect(handle.result).resolves.toBe(5);
    });

    // The blocking job is of the same type as the others: the order is the type's queue's (a
    // shared queue limits each type's concurrency, and the runner-wide cap in each process).
    test('ordering: FIFO within one priority', async () => {
      const blocker = gate();
      const order: number[] = [];
      const jobs = runner({
        types: {
          item: {
            concurrency: 1,
            handler: async (n: number) => {
              if (n < 0) await blocker.promise;
              else order.push(n);
            },
          },
        },
      });
      await jobs.enqueue('item', -1);
      for (let n = 0; n < 5; n++) await jobs.enqueue('item', n);
      blocker.open();
      await until(() => order.length === 5);
      expect(order).toEqual([0, 1, 2, 3, 4]);
    });

    test('priorities: higher first, whatever the order they were queued in', async () => {
      const blocker = gate();
      const order: string[] = [];
      const started = gate();
      const jobs = runner({
        aging: false,
        types: {
          item: {
            concurrency: 1,
            handler: async (label: string) => {
              if (label !== 'block') order.push(label);
              else {
                started.open();
                await blocker.promise;
              }
            },
          },
        },
      });
      await jobs.enqueue('item', 'block', { priority: 'high' });
      await started.promise;
      await jobs.enqueue('item', 'low', { priority: 'low' });
      await jobs.enqueue('item', 'medium');
      await jobs.enqueue('item', 'high', { priority: 'high' });
      await jobs.enqueue('item', 'ten', { priority: 10 });
      blocker.open();
      await until(() => order.length === 4);
      expect(order).toEqual(['ten', 'high', 'medium', 'low']);
    });

    test('retries: a failing attempt runs again after its backoff, as the next attempt', async () => {
      const attempts: number[] = [];
      const jobs = runner({
        types: {
          flaky: {
            retry: { maxAttempts: 3, initialDelay: 100, jitter: 'none' },
            handler: (_: undefined, context) => {
              attempts.push(context.attempt);
              if (context.attempt < 3) throw new Error(`attempt ${context.attempt} failed`);
              return 'done';
            },
          },
        },
      });
      const handle = await jobs.run('flaky', undefined);
      await until(() => attempts.length === 1);
      await pass(100);
      await until(() => attempts.length === 2);
      await pass(200);
      await expect(handle.result).resolves.toBe('done');
      expect(attempts).toEqual([1, 2, 3]);
    });

    test('delays: a delayed job does not start before its time, and starts after it', async () => {
      const started: string[] = [];
      const jobs = runner({ types: { later: { handler: (id: string) => void started.push(id) } } });
      await jobs.enqueue('later', 'delayed', { delay: 300 });
      await jobs.enqueue('later', 'now');
      await until(() => started.length === 1);
      expect(started).toEqual(['now']);
      await pass(300);
      await until(() => started.length === 2);
      expect(started).toEqual(['now', 'delayed']);
    });

    test('idempotency: one key, one job, one run, one result', async () => {
      let runs = 0;
      const release = gate();
      const jobs = runner({
        types: {
          charge: {
            handler: async (amount: number) => {
              runs++;
              await release.promise;
              return { charged: amount };
            },
          },
        },
      });
      const first = await jobs.run('charge', 42, { idempotencyKey: 'order-7' });
      const second = await jobs.run('charge', 42, { idempotencyKey: 'order-7' });
      expect(second.id).toBe(first.id);
      release.open();
      await expect(first.result).resolves.toEqual({ charged: 42 });
      await expect(second.result).resolves.toEqual({ charged: 42 });
      const third = await jobs.run('charge', 42, { idempotencyKey: 'order-7' });
      expect(third.id).toBe(first.id);
      await expect(third.result).resolves.toEqual({ charged: 42 });
      expect(runs).toBe(1);
    });

    test('dead-lettering: after the last attempt, a letter with the payload and every attempt; replay runs it again', async () => {
      let fail = true;
      const jobs = runner({
        types: {
          send: {
            retry: { maxAttempts: 2, initialDelay: 50, jitter: 'none' },
            handler: (payload: { to: string }) => {
              if (fail) throw new Error(`cannot reach ${payload.to}`);
              return 'sent';
            },
          },
        },
      });
      const handle = await jobs.run('send', { to: 'ada' });
      const rejected = handle.result.catch((error: unknown) => error);
      await until(() => jobs.stats()['send']?.failed === 1);
      await pass(50);
      expect(((await rejected) as Error).message).toBe('cannot reach ada');
      const letter = await jobs.deadLetters.get(handle.id);
      expect(letter).toMatchObject({
        id: handle.id,
        queue: 'send',
        payload: { to: 'ada' },
        attempts: 2,
      });
      expect(letter?.error.message).toBe('cannot reach ada');
      expect(letter?.metadata?.['history']).toHaveLength(2);
      expect((await jobs.deadLetters.list({ type: 'send' })).letters.map((l) => l.id)).toEqual([
        handle.id,
      ]);
      fail = false;
      const completed = new Promise<unknown>((resolve) => jobs.once('completed', resolve));
      await expect(jobs.deadLetters.replay(handle.id)).resolves.toBe(handle.id);
      await expect(completed).resolves.toMatchObject({ jobId: handle.id, result: 'sent' });
      expect(await jobs.deadLetters.get(handle.id)).toBeUndefined();
    });

    test('concurrency: a type never runs more jobs at once than its limit', async () => {
      let running = 0;
      let peak = 0;
      const jobs = runner({
        concurrency: 8,
        types: {
          work: {
            concurrency: 3,
            handler: async () => {
              running++;
              peak = Math.max(peak, running);
              await nextTurn();
              running--;
            },
          },
        },
      });
      const handles = [];
      for (let i = 0; i < 20; i++) handles.push(await jobs.run('work', undefined));
      await Promise.all(handles.map((handle) => handle.result));
      expect(peak).toBe(3);
    });

    test('close: running jobs finish; queued ones are kept by a durable backend, dropped by others', async () => {
      const running = gate();
      const finish = gate();
      const ran: string[] = [];
      const types = {
        slow: {
          handler: async (id: string) => {
            running.open();
            await finish.promise;
            ran.push(id);
          },
        },
      };
      const jobs = runner({ concurrency: 1, types });
      const first = await jobs.run('slow', 'first');
      const queued = await jobs.run('slow', 'queued');
      await running.promise;
      const closing = jobs.close({ timeout: 10_000 });
      finish.open();
      const report = await closing;
      await expect(first.result).resolves.toBeUndefined();
      const error = await queued.result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobCancelledError);
      if (subject?.durable) {
        expect(report).toMatchObject({ kept: 1, dropped: 0 });
        const next = runner({ concurrency: 1, types });
        await next.ready();
        await until(() => ran.length === 2);
        expect(ran).toEqual(['first', 'queued']);
      } else {
        expect(report).toMatchObject({ kept: 0, dropped: 1 });
        expect(ran).toEqual(['first']);
      }
    });
  });
}
