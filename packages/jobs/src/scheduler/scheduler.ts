import type { Clock, TimerHandle, Timers } from '@vigil/core';
import { MAX_TIMER_DELAY } from '@vigil/core/options';
import type { Lease, LeaseStore, RecordStore } from '@vigil/storage';
import { RunnerClosedError } from '../errors.js';
import type { JobHandle } from '../job-handle.js';
import type { RunOptions } from '../run-options.js';
import { CronPattern } from './cron-pattern.js';
import { LeaderCampaign } from './job-scheduler-leader.js';
import { type ScheduleConfig, type ScheduleOptions, scheduleConfig } from './schedule-options.js';
import type { ScheduleRun, ScheduleStatus } from './schedule-status.js';

/** Where each schedule's state lives in the `RecordStore`, shared by the cluster. */
const NAMESPACE = 'vigil:jobs:schedules';

/** A schedule's shared state: the last tick fired (by any instance), and whether it is paused. */
interface ScheduleRecord {
  readonly lastTick: number;
  readonly paused: boolean;
  /** The fencing token of the leader that fired `lastTick`. */
  readonly token: number;
}

/** A run in progress: a job's handle, or a task's promise (no id). */
interface Started {
  readonly id: string | undefined;
  readonly result: Promise<unknown>;
}

interface Entry {
  readonly config: ScheduleConfig;
  readonly pattern: CronPattern;
  paused: boolean;
  lastTick: number | undefined;
  running: Started | undefined;
  readonly history: ScheduleRun[];
}

/** @internal What the scheduler needs from its runner and store. */
export interface SchedulerSettings {
  readonly run: (type: string, payload: unknown, options: RunOptions) => JobHandle;
  readonly types: readonly string[];
  readonly leases: LeaseStore;
  readonly records: RecordStore;
  readonly owner: string;
  /** The leader lease's TTL, ms. */
  readonly lease: number;
  readonly historySize: number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly report: (error: unknown, operation: string) => void;
}

/** A schedule's payload for a tick: its value, or what its function answers for the tick. */
function payloadAt(config: ScheduleConfig, tick: number): unknown {
  const { payload } = config;
  return typeof payload === 'function'
    ? (payload as (tick: Date) => unknown)(new Date(tick))
    : payload;
}

/** How far back a new leader runs missed ticks late, as a failover and not as downtime. */
const FAILOVER_LEASES = 2;
/** The most missed ticks a new leader looks through. */
const MAX_MISSED = 1_000;

/**
 * Cron schedules that queue jobs, one runner per cluster. Every instance declares the same
 * schedules; the holder of the scheduler lease fires their ticks. Each tick is claimed with a
 * compare-and-set of the schedule's shared record (`lastTick`), so it fires once across the
 * cluster even if two instances briefly both believe they lead; the job it queues carries the
 * idempotency key `schedule:<name>:<tick>`. A tick may be late (a leader died; the next one takes
 * over within the lease and runs the ticks due meanwhile), never twice; a tick whose job was cut
 * off with its process is not fired again (its job is as durable as the runner's backend).
 */
export class Scheduler {
  readonly #settings: SchedulerSettings;
  readonly #entries = new Map<string, Entry>();
  readonly #campaign: LeaderCampaign;
  #timer: TimerHandle | undefined;
  #started = false;

  /** @internal */
  constructor(settings: SchedulerSettings) {
    this.#settings = settings;
    this.#campaign = new LeaderCampaign({
      leases: settings.leases,
      owner: settings.owner,
      ttl: settings.lease,
      clock: settings.clock,
      timers: settings.timers,
      report: settings.report,
      events: {
        elected: (lease) => void this.#catchUp(lease),
        deposed: () => this.#disarm(),
      },
    });
  }

  /** Whether this instance holds the scheduler lease now. */
  get leader(): boolean {
    return this.#campaign.lease !== undefined;
  }

  /**
   * Adds (or replaces) a schedule and starts the scheduler if it was not. Throws
   * `ConfigurationError` for a bad name, pattern, time zone, type or option.
   */
  schedule(name: string, cron: string, options: ScheduleOptions): void {
    if (this.#closed) throw new RunnerClosedError();
    const config = scheduleConfig(name, cron, options, this.#settings.types);
    const pattern = new CronPattern('JobRunner.schedule', config.cron, config.timezone);
    const previous = this.#entries.get(name);
    this.#entries.set(name, {
      config,
      pattern,
      paused: config.paused,
      lastTick: previous?.lastTick,
      running: previous?.running,
      history: previous?.history ?? [],
    });
    if (!this.#started) this.start();
    else {
      const lease = this.#campaign.lease;
      if (lease !== undefined) void this.#catchUpOne(name, lease).then(() => this.#arm());
    }
  }

  /** Removes a schedule from this instance; false when there was none. */
  unschedule(name: string): boolean {
    const removed = this.#entries.delete(name);
    if (removed) this.#arm();
    return removed;
  }

  /** Pauses a schedule across the cluster (its shared record says so); false when unknown. */
  pause(name: string): Promise<boolean> {
    return this.#setPaused(name, true);
  }

  /** Resumes a paused schedule across the cluster; false when unknown. */
  resume(name: string): Promise<boolean> {
    return this.#setPaused(name, false);
  }

  /** Starts campaigning for the lease (at the first `schedule` call, unless stopped since). */
  start(): void {
    if (this.#closed) throw new RunnerClosedError();
    this.#started = true;
    this.#campaign.start();
  }

  /** @internal The runner closed: stops, and refuses `start` and `schedule` from now on. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.stop();
  }

  #closed = false;

  /** Stops firing ticks here and gives the lease up: another instance takes over at once. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#disarm();
    await this.#campaign.stop();
  }

  /**
   * Queues the schedule's job now (or runs its task), outside its ticks and claims; undefined
   * when unknown. Answers the job's handle, or `{ id: undefined, result }` for a task.
   */
  runNow(name: string): Started | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    const now = this.#settings.clock.now();
    const run = this.#start(entry.config, now, false);
    this.#track(entry, now, run, 'manual');
    return run;
  }

  /** Each schedule: its pattern, state, next ticks, last run and bounded history. */
  status(): ScheduleStatus[] {
    const now = this.#settings.clock.now();
    return [...this.#entries.values()].map((entry) => ({
      name: entry.config.name,
      cron: entry.config.cron,
      type: entry.config.type,
      timezone: entry.config.timezone,
      overlap: entry.config.overlap,
      missed: entry.config.missed,
      paused: entry.paused,
      leader: this.leader,
      nextRuns: entry.paused ? [] : entry.pattern.nextTicks(now, 3),
      lastTick: entry.lastTick,
      lastRun: entry.history.at(-1),
      history: entry.history.map((run) => ({ ...run })),
    }));
  }

  /** On election: settle each schedule's missed ticks, then arm the timer. */
  async #catchUp(lease: Lease): Promise<void> {
    for (const name of this.#entries.keys()) await this.#catchUpOne(name, lease);
    this.#arm();
  }

  async #catchUpOne(name: string, lease: Lease): Promise<void> {
    const entry = this.#entries.get(name);
    if (entry === undefined) return;
    const { records, clock, report } = this.#settings;
    try {
      const record = await records.get<ScheduleRecord>(NAMESPACE, name);
      const now = clock.now();
      if (record === undefined) {
        // First ever: ticks count from now.
        const initial = { lastTick: now, paused: entry.config.paused, token: lease.token };
        await records.compareAndSet(NAMESPACE, name, 0, initial);
        entry.lastTick = now;
        return;
      }
      entry.paused = record.value.paused;
      entry.lastTick = record.value.lastTick;
      const due: number[] = [];
      for (
        let tick = entry.pattern.nextAfter(record.value.lastTick);
        tick !== undefined && tick <= now && due.length < MAX_MISSED;
        tick = entry.pattern.nextAfter(tick)
      ) {
        due.push(tick);
      }
      const first = due[0];
      if (first === undefined || entry.paused) return;
      if (now - first <= FAILOVER_LEASES * this.#settings.lease) {
        // A failover: the ticks due while no one led run now, late, in order.
        for (const tick of due) await this.#fire(entry, tick);
      } else if (entry.config.missed === 'run-once') {
        await this.#fire(entry, due.at(-1) as number);
      } else {
        await this.#claim(entry, due.at(-1) as number, lease, 'missed');
      }
    } catch (error) {
      report(error, `catch up schedule '${name}'`);
    }
  }

  /** Arms the one timer for the earliest next tick of the schedules this leader fires. */
  #arm(): void {
    this.#disarm();
    if (this.#campaign.lease === undefined) return;
    const now = this.#settings.clock.now();
    let earliest = Number.POSITIVE_INFINITY;
    // Paused schedules too: at their ticks the leader re-reads their record, so a resume from
    // another instance takes effect.
    for (const entry of this.#entries.values()) {
      const next = entry.pattern.nextAfter(Math.max(now, entry.lastTick ?? now));
      if (next !== undefined && next < earliest) earliest = next;
    }
    if (earliest === Number.POSITIVE_INFINITY) return;
    // A tick past Node's longest timer (a yearly pattern): wake early, find nothing due, re-arm.
    this.#timer = this.#settings.timers.setTimeout(
      () => void this.#onTick(),
      Math.min(MAX_TIMER_DELAY, earliest - now),
    );
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#settings.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #onTick(): Promise<void> {
    this.#timer = undefined;
    const now = this.#settings.clock.now();
    for (const entry of [...this.#entries.values()]) {
      if (entry.paused) await this.#refresh(entry);
      if (entry.paused || entry.lastTick === undefined) continue;
      let fired = 0;
      for (
        let tick = entry.pattern.nextAfter(entry.lastTick);
        tick !== undefined && tick <= now && fired < MAX_MISSED;
        tick = entry.pattern.nextAfter(tick), fired++
      ) {
        await this.#fire(entry, tick);
      }
    }
    this.#arm();
  }

  /** Claims `tick` for the cluster, then queues its job (or records an overlap skip). */
  async #fire(entry: Entry, tick: number): Promise<void> {
    const lease = this.#campaign.lease;
    if (lease === undefined) return;
    try {
      if (!(await this.#claim(entry, tick, lease, undefined))) return;
      if (entry.config.overlap === 'skip' && entry.running !== undefined) {
        this.#remember(entry, { tick, at: this.#settings.clock.now(), outcome: 'skipped' });
        return;
      }
      this.#track(entry, tick, this.#start(entry.config, tick, true), 'tick');
    } catch (error) {
      this.#settings.report(error, `fire schedule '${entry.config.name}'`);
    }
  }

  /**
   * Moves the shared `lastTick` to `tick` if no instance did: true when this one did. `missed`
   * records the tick as dropped (the `missed: 'skip'` policy) without running it.
   */
  async #claim(
    entry: Entry,
    tick: number,
    lease: Lease,
    missed: 'missed' | undefined,
  ): Promise<boolean> {
    const { records } = this.#settings;
    const name = entry.config.name;
    const record = await records.get<ScheduleRecord>(NAMESPACE, name);
    if (record !== undefined && (record.value.lastTick >= tick || record.value.paused)) {
      entry.lastTick = record.value.lastTick;
      entry.paused = record.value.paused;
      return false;
    }
    const value: ScheduleRecord = { lastTick: tick, paused: false, token: lease.token };
    const written = await records.compareAndSet(NAMESPACE, name, record?.version ?? 0, value);
    if (written === undefined) return false;
    entry.lastTick = tick;
    entry.paused = false;
    if (missed !== undefined)
      this.#remember(entry, { tick, at: this.#settings.clock.now(), outcome: missed });
    return true;
  }

  /** Re-reads a schedule's shared record: paused, and the last tick fired. */
  async #refresh(entry: Entry): Promise<void> {
    try {
      const record = await this.#settings.records.get<ScheduleRecord>(NAMESPACE, entry.config.name);
      if (record === undefined) return;
      entry.paused = record.value.paused;
      entry.lastTick = record.value.lastTick;
    } catch (error) {
      this.#settings.report(error, `read schedule '${entry.config.name}'`);
    }
  }

  /** Queues the schedule's job for `tick` (keyed by it when `keyed`), or runs its task. */
  #start(config: ScheduleConfig, tick: number, keyed: boolean): Started {
    if (config.run !== undefined) {
      const task = config.run;
      return { id: undefined, result: Promise.resolve().then(() => task(new Date(tick))) };
    }
    const options: RunOptions = keyed ? { idempotencyKey: `schedule:${config.name}:${tick}` } : {};
    if (config.priority !== undefined) options.priority = config.priority;
    return this.#settings.run(config.type as string, payloadAt(config, tick), options);
  }

  #track(entry: Entry, tick: number, handle: Started, trigger: 'tick' | 'manual'): void {
    const run: ScheduleRun = { tick, at: this.#settings.clock.now(), outcome: 'running', trigger };
    if (handle.id !== undefined) run.jobId = handle.id;
    this.#remember(entry, run);
    entry.running = handle;
    handle.result
      .then(
        () => {
          run.outcome = 'completed';
        },
        (error: unknown) => {
          run.outcome = 'failed';
          run.error = error instanceof Error ? error.message : String(error);
          if (handle.id === undefined)
            this.#settings.report(error, `schedule '${entry.config.name}'`);
        },
      )
      .finally(() => {
        if (entry.running === handle) entry.running = undefined;
      });
  }

  #remember(entry: Entry, run: ScheduleRun): void {
    entry.history.push(run);
    if (entry.history.length > this.#settings.historySize) entry.history.shift();
  }

  async #setPaused(name: string, paused: boolean): Promise<boolean> {
    const entry = this.#entries.get(name);
    if (entry === undefined) return false;
    entry.paused = paused;
    const { records, clock } = this.#settings;
    for (let attempt = 0; attempt < 5; attempt++) {
      const record = await records.get<ScheduleRecord>(NAMESPACE, name);
      // Resuming drops the ticks of the pause: they count from now.
      const lastTick = record?.value.lastTick ?? clock.now();
      const value: ScheduleRecord = {
        lastTick: paused ? lastTick : Math.max(lastTick, clock.now()),
        token: record?.value.token ?? 0,
        paused,
      };
      if (await records.compareAndSet(NAMESPACE, name, record?.version ?? 0, value)) {
        entry.lastTick = value.lastTick;
        break;
      }
    }
    this.#arm();
    return true;
  }
}
