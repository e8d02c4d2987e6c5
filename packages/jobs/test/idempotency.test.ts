import { afterEach, describe, expect, it } from 'vitest';
import type { JobRunner } from '../src/index.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

describe('idempotency keys', () => {
  it('calls made at the same time with one key share one job', async () => {
    let runs = 0;
    const { jobs } = runnerOnClock({ charge: { handler: () => ++runs } });
    open.push(jobs as unknown as JobRunner);
    const handles = await Promise.all(
      Array.from({ length: 10 }, () => jobs.run('charge', undefined, { idempotencyKey: 'k' })),
    );
    expect(new Set(handles.map((handle) => handle.id)).size).toBe(1);
    expect(await Promise.all(handles.map((handle) => handle.result))).toEqual(Array(10).fill(1));
    expect(runs).toBe(1);
  });

  it('a dead-lettered job frees its key: the next call runs again', async () => {
    let runs = 0;
    const { jobs } = runnerOnClock({
      charge: {
        retry: false,
        handler: () => {
          runs++;
          if (runs === 1) throw new Error('declined');
          return 'charged';
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const first = await jobs.run('charge', undefined, { idempotencyKey: 'order-1' });
    await expect(first.result).rejects.toThrow('declined');
    await flush();
    const second = await jobs.run('charge', undefined, { idempotencyKey: 'order-1' });
    // Every job of one key has the key's id.
    expect(second.id).toBe(first.id);
    await expect(second.result).resolves.toBe('charged');
    expect(runs).toBe(2);
  });

  it('the key lives for the type idempotencyTtl, then a call makes a new job', async () => {
    let runs = 0;
    const { jobs, clock } = runnerOnClock({
      ping: { idempotencyTtl: '1h', handler: () => ++runs },
    });
    open.push(jobs as unknown as JobRunner);
    const first = await jobs.run('ping', undefined, { idempotencyKey: 'p' });
    await first.result;
    await tick(clock, 3_599_999);
    expect((await jobs.run('ping', undefined, { idempotencyKey: 'p' })).id).toBe(first.id);
    await tick(clock, 1);
    const later = await jobs.run('ping', undefined, { idempotencyKey: 'p' });
    await expect(later.result).resolves.toBe(2);
  });

  it('a replayed letter keeps its key: a call with the key joins the replayed job', async () => {
    let runs = 0;
    let fail = true;
    const release = gate();
    const { jobs } = runnerOnClock({
      charge: {
        retry: false,
        handler: async () => {
          runs++;
          if (fail) throw new Error('declined');
          await release.promise;
          return 'charged';
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const first = jobs.run('charge', undefined, { idempotencyKey: 'order-9' });
    await first.result.catch(() => {});
    await flush();
    fail = false;
    await jobs.deadLetters.replay(first.id);
    await flush();
    const joined = jobs.run('charge', undefined, { idempotencyKey: 'order-9' });
    release.resolve();
    await expect(joined.result).resolves.toBe('charged');
    expect(runs).toBe(2);
  });

  it('keys are per type, and the id is known at the call', async () => {
    const { jobs } = runnerOnClock({ a: { handler: () => 'a' }, b: { handler: () => 'b' } });
    open.push(jobs as unknown as JobRunner);
    const a = jobs.run('a', undefined, { idempotencyKey: 'same' });
    const b = jobs.run('b', undefined, { idempotencyKey: 'same' });
    expect(a.id).not.toBe(b.id);
    expect(jobs.run('a', undefined, { idempotencyKey: 'same' }).id).toBe(a.id);
    await expect(a.accepted).resolves.toBe(a.id);
    await expect(Promise.all([a.result, b.result])).resolves.toEqual(['a', 'b']);
  });

  it('a caller joining a running job gets its result when it completes', async () => {
    const release = gate<string>();
    const { jobs } = runnerOnClock({ slow: { handler: () => release.promise } });
    open.push(jobs as unknown as JobRunner);
    const first = await jobs.run('slow', undefined, { idempotencyKey: 's' });
    await flush();
    const joined = await jobs.run('slow', undefined, { idempotencyKey: 's' });
    release.resolve('done');
    await expect(joined.result).resolves.toBe('done');
    await expect(first.result).resolves.toBe('done');
  });
});
