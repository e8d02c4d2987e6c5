import { afterEach, describe, expect, it } from 'vitest';
import type { JobRunner } from '../src/index.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

describe('circuit breaker per type', () => {
  it('opens after 5 failed attempts; its jobs then wait without spending attempts, and run after it closes', async () => {
    let healthy = false;
    const attempts: string[] = [];
    const { jobs, clock } = runnerOnClock({
      partner: {
        concurrency: 1,
        retry: false,
        handler: (id: string) => {
          attempts.push(id);
          if (!healthy) throw new Error('partner down');
          return id;
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const transitions: string[] = [];
    jobs.on('breaker', ({ type, from, to }) => transitions.push(`${type} ${from}->${to}`));
    const failures = [];
    for (let i = 0; i < 5; i++)
      failures.push((await jobs.run('partner', `f${i}`)).result.catch(() => 'failed'));
    expect(await Promise.all(failures)).toEqual(Array(5).fill('failed'));
    expect(jobs.stats()['partner']?.breaker).toBe('open');
    const waiting = await jobs.run('partner', 'waiting');
    await tick(clock, 59_000);
    expect(attempts).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(jobs.stats()['partner']).toMatchObject({ queued: 1, running: 0 });
    healthy = true;
    await tick(clock, 1_000);
    await expect(waiting.result).resolves.toBe('waiting');
    expect(jobs.stats()['partner']?.breaker).toBe('closed');
    expect(transitions).toEqual([
      'partner closed->open',
      'partner open->half-open',
      'partner half-open->closed',
    ]);
  });

  it('breaker: false turns it off', async () => {
    const { jobs } = runnerOnClock({
      free: { breaker: false, retry: false, handler: () => Promise.reject(new Error('no')) },
    });
    open.push(jobs as unknown as JobRunner);
    for (let i = 0; i < 8; i++) await (await jobs.run('free', undefined)).result.catch(() => {});
    expect(jobs.stats()['free']).toMatchObject({ breaker: undefined, failed: 8 });
  });
});

describe('rate limit per type', () => {
  it('starts at most max jobs in any window of interval', async () => {
    const starts: number[] = [];
    const { jobs, clock } = runnerOnClock({
      api: { rateLimit: { max: 2, interval: '1s' }, handler: () => void starts.push(clock.now()) },
    });
    open.push(jobs as unknown as JobRunner);
    const t0 = clock.now();
    for (let i = 0; i < 5; i++) await jobs.enqueue('api', undefined);
    await flush();
    expect(starts.map((t) => t - t0)).toEqual([0, 0]);
    await tick(clock, 999);
    expect(starts).toHaveLength(2);
    await tick(clock, 1);
    expect(starts.map((t) => t - t0)).toEqual([0, 0, 1_000, 1_000]);
    await tick(clock, 1_000);
    expect(starts.map((t) => t - t0)).toEqual([0, 0, 1_000, 1_000, 2_000]);
  });
});

describe('priorities and aging', () => {
  /**
   * One slot, held by a blocker; a low job queued, `waited` ms passing, then `later` queued: the
   * order they start in once the blocker finishes (aging: one step per 30 s).
   */
  async function orderAfterWaiting(
    waited: number,
    later: readonly [label: string, priority: 'high' | 'medium'][],
  ): Promise<string[]> {
    const blocker = gate();
    const order: string[] = [];
    const { jobs, clock } = runnerOnClock(
      {
        block: { handler: () => blocker.promise },
        item: { handler: (label: string) => void order.push(label) },
      },
      { concurrency: 1, aging: '30s' },
    );
    open.push(jobs as unknown as JobRunner);
    await jobs.enqueue('block', undefined);
    await jobs.enqueue('item', 'old-low', { priority: 'low' });
    await tick(clock, waited);
    for (const [label, priority] of later) await jobs.enqueue('item', label, { priority });
    blocker.resolve();
    await flush();
    return order;
  }

  it('a low job that waited long enough starts before newer high ones (one step per aging interval)', async () => {
    // Low (1) + 2 steps after 60 s = 3, high's value: a tie, which the older job wins.
    const order = await orderAfterWaiting(60_000, [
      ['new-high', 'high'],
      ['new-medium', 'medium'],
    ]);
    expect(order).toEqual(['old-low', 'new-high', 'new-medium']);
  });

  it('without aging waited long enough, high goes first', async () => {
    expect(await orderAfterWaiting(59_999, [['new-high', 'high']])).toEqual([
      'new-high',
      'old-low',
    ]);
  });

  it('picks across types by priority, the runner-wide cap shared', async () => {
    const blocker = gate();
    const order: string[] = [];
    const { jobs } = runnerOnClock(
      {
        block: { handler: () => blocker.promise },
        reports: { priority: 'low', handler: (l: string) => void order.push(l) },
        alerts: { priority: 'high', handler: (l: string) => void order.push(l) },
      },
      { concurrency: 1 },
    );
    open.push(jobs as unknown as JobRunner);
    await jobs.enqueue('block', undefined);
    await jobs.enqueue('reports', 'r1');
    await jobs.enqueue('alerts', 'a1');
    await jobs.enqueue('reports', 'r2');
    await jobs.enqueue('alerts', 'a2');
    blocker.resolve();
    await flush();
    expect(order).toEqual(['a1', 'a2', 'r1', 'r2']);
  });
});
