import type { Timers } from '@vigil/core';
import { ConfigurationError } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { MemoryStore } from '@vigil/storage';
import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner, type JobTypes } from '../src/index.js';
import { flush, gate } from './support/runner.js';

const MINUTE = 60_000;
const open: JobRunner[] = [];
const stores: MemoryStore[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
  for (const store of stores.splice(0)) await store.close();
});

/** One instance of a cluster: a runner on the shared store and clock. */
function instance<T extends JobTypes>(
  types: T,
  store: MemoryStore,
  clock: ManualClock,
  owner: string,
  timers: Timers = clock,
): JobRunner<T> {
  const jobs = new JobRunner<T>({
    types,
    store,
    clock,
    timers,
    scheduler: { lease: '30s', owner },
  });
  open.push(jobs as unknown as JobRunner);
  return jobs;
}

function cluster(): { clock: ManualClock; store: MemoryStore } {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  stores.push(store);
  return { clock, store };
}

/** The clock's timers until `kill()`: then none of them fires, as in a process killed at once. */
function killable(clock: ManualClock): Timers & { kill(): void } {
  let dead = false;
  return {
    setTimeout: (callback, ms) => clock.setTimeout(() => dead || callback(), ms),
    clearTimeout: (handle) => clock.clearTimeout(handle),
    kill: () => {
      dead = true;
    },
  };
}

/** Moves the clock on in steps of `step`, letting the lease rounds and ticks run. */
async function pass(clock: ManualClock, ms: number, step = 5_000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await flush();
    clock.advance(Math.min(step, ms - done));
    await flush();
  }
}

describe('scheduler', () => {
  it('queues the type job at every tick, and shows next runs and history', async () => {
    const { clock, store } = cluster();
    const ticks: number[] = [];
    const jobs = instance(
      { report: { handler: () => void ticks.push(clock.now()) } },
      store,
      clock,
      'a',
    );
    jobs.schedule('every-minute', '* * * * *', { type: 'report' });
    await pass(clock, 3 * MINUTE);
    expect(ticks).toHaveLength(3);
    for (const tick of ticks) expect(tick % MINUTE).toBe(0);
    const [status] = jobs.scheduler.status();
    expect(status).toMatchObject({ name: 'every-minute', leader: true, paused: false });
    expect(status?.nextRuns).toHaveLength(3);
    expect(status?.history.map((run) => run.outcome)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
  });

  it('fires each tick once across three instances, and another takes over when the leader stops', async () => {
    const { clock, store } = cluster();
    const runs: { tick: number; by: string }[] = [];
    const make = (owner: string) =>
      instance(
        { sweep: { handler: () => void runs.push({ tick: clock.now(), by: owner }) } },
        store,
        clock,
        owner,
      );
    const instances = [make('a'), make('b'), make('c')];
    for (const jobs of instances) jobs.schedule('sweep', '* * * * *', { type: 'sweep' });
    await pass(clock, 5 * MINUTE);
    const leader = instances.find((jobs) => jobs.scheduler.leader) as JobRunner;
    expect(instances.filter((jobs) => jobs.scheduler.leader)).toHaveLength(1);
    await leader.close({ timeout: 0 });
    await pass(clock, 5 * MINUTE);
    const minutes = runs.map((run) => Math.floor(run.tick / MINUTE));
    expect(new Set(minutes).size).toBe(minutes.length);
    expect(runs.length).toBeGreaterThanOrEqual(9);
    expect(new Set(runs.map((run) => run.by)).size).toBe(2);
  });

  it('a tick due while the dead leader still holds its lease runs late on the next leader, never twice', async () => {
    const { clock, store } = cluster();
    const fired: { minute: number; by: string }[] = [];
    const timers = killable(clock);
    const types = (by: string) => ({
      t: { handler: () => void fired.push({ minute: Math.floor(clock.now() / MINUTE), by }) },
    });
    const a = instance(types('a'), store, clock, 'a', timers);
    a.schedule('s', '* * * * *', { type: 't' });
    await pass(clock, 1_000);
    const b = instance(types('b'), store, clock, 'b');
    b.schedule('s', '* * * * *', { type: 't' });
    await pass(clock, MINUTE + 54_000);
    expect(a.scheduler.leader).toBe(true);
    // a dies at 1:55 holding its lease; the tick at 2:00 falls in the gap before b takes over.
    timers.kill();
    await pass(clock, 4 * MINUTE, 1_000);
    const late = fired.find(
      (run) => run.minute > Math.floor(clock.now() / MINUTE) - 5 && run.by === 'b',
    );
    expect(late).toBeDefined();
    const minutes = fired.map((run) => run.minute);
    expect(new Set(minutes).size).toBe(minutes.length);
    expect(minutes).toHaveLength(5);
    expect(fired.map((run) => run.by)).toEqual(['a', 'b', 'b', 'b', 'b']);
  });

  it("overlap 'skip' skips a tick while the previous run goes on; 'queue' queues it", async () => {
    const { clock, store } = cluster();
    const hold = gate();
    const jobs = instance(
      {
        slow: { concurrency: 5, handler: () => hold.promise },
        queued: { concurrency: 5, handler: () => hold.promise },
      },
      store,
      clock,
      'a',
    );
    jobs.schedule('skipping', '* * * * *', { type: 'slow', overlap: 'skip' });
    jobs.schedule('queueing', '* * * * *', { type: 'queued', overlap: 'queue' });
    await pass(clock, 3 * MINUTE);
    const [skipping, queueing] = jobs.scheduler.status();
    expect(skipping?.history.map((run) => run.outcome)).toEqual(['running', 'skipped', 'skipped']);
    expect(queueing?.history.map((run) => run.outcome)).toEqual(['running', 'running', 'running']);
    hold.resolve();
  });

  it("after downtime, missed 'run-once' runs the latest missed tick once; 'skip' drops them", async () => {
    const { clock, store } = cluster();
    const runs: string[] = [];
    const types = {
      once: { handler: () => void runs.push('once') },
      skip: { handler: () => void runs.push('skip') },
    };
    const first = instance(types, store, clock, 'a');
    first.schedule('once', '0 * * * *', { type: 'once', missed: 'run-once' });
    first.schedule('skip', '0 * * * *', { type: 'skip', missed: 'skip' });
    await pass(clock, 60_000);
    await first.close();
    runs.length = 0;
    await pass(clock, 5 * 60 * MINUTE, 60 * MINUTE);
    const second = instance(types, store, clock, 'b');
    second.schedule('once', '0 * * * *', { type: 'once', missed: 'run-once' });
    second.schedule('skip', '0 * * * *', { type: 'skip', missed: 'skip' });
    await pass(clock, 10_000);
    expect(runs).toEqual(['once']);
    expect(second.scheduler.status()[1]?.history.map((run) => run.outcome)).toEqual(['missed']);
  });

  it('pause and resume hold across the cluster', async () => {
    const { clock, store } = cluster();
    let runs = 0;
    const a = instance({ t: { handler: () => void runs++ } }, store, clock, 'a');
    a.schedule('s', '* * * * *', { type: 't' });
    await pass(clock, MINUTE);
    expect(runs).toBe(1);
    expect(await a.scheduler.pause('s')).toBe(true);
    await pass(clock, 3 * MINUTE);
    expect(runs).toBe(1);
    expect(a.scheduler.status()[0]).toMatchObject({ paused: true, nextRuns: [] });
    await a.scheduler.resume('s');
    await pass(clock, MINUTE);
    expect(runs).toBe(2);
    expect(await a.scheduler.pause('nope')).toBe(false);
  });

  it('runNow queues the job outside the ticks; unschedule stops a schedule', async () => {
    const { clock, store } = cluster();
    let runs = 0;
    const jobs = instance({ t: { handler: () => ++runs } }, store, clock, 'a');
    jobs.schedule('s', '0 0 * * *', { type: 't' });
    await expect(jobs.scheduler.runNow('s')?.result).resolves.toBe(1);
    expect(jobs.scheduler.runNow('unknown')).toBeUndefined();
    expect(jobs.scheduler.unschedule('s')).toBe(true);
    expect(jobs.scheduler.status()).toEqual([]);
  });

  it('refuses a bad pattern, time zone, type or option at the call', () => {
    const { clock, store } = cluster();
    const jobs = instance({ t: { handler: () => {} } }, store, clock, 'a');
    for (const [cron, options] of [
      ['not a cron', { type: 't' }],
      ['* * * * *', { type: 't', timezone: 'Mars/Olympus' }],
      ['* * * * *', { type: 'unknown' }],
      ['* * * * *', { type: 't', overlap: 'never' }],
      ['* * * * *', { type: 't', tz: 'UTC' }],
    ] as const) {
      expect(caught(() => jobs.schedule('s', cron, options as never))).toBeInstanceOf(
        ConfigurationError,
      );
    }
  });
});

describe('scheduler tasks and maintenance schedules', () => {
  it("runs the host's own tasks ('@hourly'), recording failures in the history and onError", async () => {
    const { clock, store } = cluster();
    const errors: unknown[] = [];
    const jobs = new JobRunner({
      types: { t: { handler: () => {} } },
      store,
      clock,
      timers: clock,
      scheduler: { lease: '10m' },
      onError: (error) => errors.push(error),
    });
    open.push(jobs as unknown as JobRunner);
    const ran: number[] = [];
    jobs.schedule('hourly-chore', '@hourly', { run: (tick) => void ran.push(tick.getTime()) });
    jobs.schedule('broken', '@hourly', {
      run: () => {
        throw new Error('chore failed');
      },
    });
    await pass(clock, 2 * 60 * MINUTE, 60_000);
    expect(ran).toHaveLength(2);
    expect(ran.every((tick) => tick % (60 * MINUTE) === 0)).toBe(true);
    const broken = jobs.scheduler.status().find((status) => status.name === 'broken');
    expect(broken?.history.map((run) => [run.outcome, run.error])).toEqual([
      ['failed', 'chore failed'],
      ['failed', 'chore failed'],
    ]);
    expect(errors).toHaveLength(2);
    expect(
      caught(() => jobs.schedule('both', '@hourly', { type: 't', run: () => {} })),
    ).toBeInstanceOf(ConfigurationError);
  });

  it('scheduleMaintenance replays due dead letters hourly and purges past retention at 02:00', async () => {
    const { clock, store } = cluster();
    let healthy = false;
    const deleted: number[] = [];
    const series = { deleteBefore: async (before: number) => void deleted.push(before) };
    const jobs = new JobRunner({
      types: {
        sync: {
          retry: false,
          handler: () => {
            if (!healthy) throw new Error('down');
          },
        },
      },
      store,
      clock,
      timers: clock,
      scheduler: { lease: '10m' },
      deadLetters: { retention: '1d' },
    });
    open.push(jobs as unknown as JobRunner);
    jobs.scheduleMaintenance({ timeSeries: { store: series as never, retention: '7d' } });
    await jobs.run('sync', undefined).result.catch(() => {});
    await flush();
    expect(await jobs.deadLetters.count()).toBe(1);
    healthy = true;
    // The letter is due an hour after its failure: the 01:00 replay finds it.
    await pass(clock, 61 * MINUTE, 60_000);
    expect(await jobs.deadLetters.count()).toBe(0);
    await pass(clock, 60 * MINUTE, 60_000);
    expect(deleted).toEqual([clock.now() - (clock.now() % (60 * MINUTE)) - 7 * 86_400_000]);
    const names = jobs.scheduler.status().map((status) => status.name);
    expect(names).toEqual(['vigil:dead-letter-replay', 'vigil:retention']);
  });
});
