import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type DurationInput,
  systemTimers,
  type Timers,
} from '@vigil/core';
import { checkOptionsObject, invalidOption, optionalDuration } from '@vigil/core/options';
import { type DeadLetter, MemoryStore } from '@vigil/storage';
import { PerformanceTracker } from '@vigil/timers';
import { EventEmitter } from 'eventemitter3';
import { Attempt, type AttemptHost } from './attempt.js';
import type { JobBackend, RecoveredJob } from './backend.js';
import { type CloseReport, closeRunner } from './close-runner.js';
import { DeadLetterMaintenance, replaysOf } from './dead-letter-maintenance.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { RunnerClosedError, UnknownJobTypeError } from './errors.js';
import { IdempotentSubmit, keyedJobId } from './idempotent-submit.js';
import { Job } from './job.js';
import type { JobEvents } from './job-events.js';
import { JobHandle } from './job-handle.js';
import { JobMetrics } from './job-metrics.js';
import { errorRecord, JobOutcomes } from './job-outcomes.js';
import {
  type JobRunnerOptions,
  type JobStore,
  type JobTypes,
  type RunnerConfig,
  runnerConfig,
} from './job-runner-options.js';
import { JobScheduler } from './job-scheduler.js';
import { Lane } from './lane.js';
import { memoryBackend } from './memory-backend.js';
import { validatePayload } from './payload-schema.js';
import { isQueueBackend, type QueueEngine } from './queue-backend.js';
import { checkRunOptions, type RunOptions } from './run-options.js';
import {
  type MaintenanceScheduleOptions,
  maintenanceConfig,
} from './scheduler/maintenance-options.js';
import type { ScheduleOptions } from './scheduler/schedule-options.js';
import { Scheduler } from './scheduler/scheduler.js';
import { laneStats, type TypeStats } from './type-stats.js';

/** The payload type of a job type's handler. */
export type PayloadOf<O> = O extends { handler: (payload: infer P, ...rest: never[]) => unknown }
  ? P
  : never;
/** The result type of a job type's handler. */
export type ResultOf<O> = O extends { handler: (...args: never[]) => infer R } ? Awaited<R> : never;

/** What `jobs.backend` answers. */
export interface BackendStatus {
  readonly name: string;
  readonly durable: boolean;
  /** False while a shared queue (BullMQ) cannot reach Redis; always true for memory and SQLite. */
  readonly up: boolean;
  /** While down: the latest connection error's message. */
  readonly error?: string;
}

/** Options of `close()`. */
export interface CloseOptions {
  /** How long running jobs may take to finish before their signals abort; default `'30s'`. */
  timeout?: DurationInput | undefined;
}

/**
 * Runs jobs by type, in one process: priorities with aging, a runner-wide and per-type
 * concurrency limit, retries with exponential backoff and jitter, timeouts through an
 * `AbortSignal`, a circuit breaker and a rate limit per type, idempotency keys, and a
 * dead-letter queue with replay. In memory by default; durable with `sqliteBackend()`.
 *
 * ```ts
 * const jobs = new JobRunner({ types: { email: { handler: send, concurrency: 3 } } });
 * const handle = jobs.run('email', { to: 'ada@example.com' });
 * await handle.result;
 * ```
 */
export class JobRunner<T extends JobTypes = JobTypes> extends EventEmitter<JobEvents> {
  /** The dead-letter queue: list, inspect, replay, purge. */
  readonly deadLetters: DeadLetterQueue;
  /** The performance tracker the run durations feed (operation `job:<type>`), if any. */
  readonly tracker: PerformanceTracker | undefined;
  readonly #config: RunnerConfig;
  readonly #lanes = new Map<string, Lane>();
  readonly #jobScheduler: JobScheduler;
  #scheduler: Scheduler | undefined;
  readonly #backend: JobBackend;
  /** A shared queue (BullMQ) that stores and runs the jobs instead of the runner's own queue. */
  readonly #queue: QueueEngine | undefined;
  readonly #backendName: { readonly name: string; readonly durable: boolean };
  /** Why a shared queue is unreachable, while it is; undefined while it is up. */
  #backendDown: { readonly error: unknown } | undefined;
  readonly #store: JobStore;
  readonly #ownedStore: MemoryStore | undefined;
  readonly #ownedTracker: boolean;
  readonly #outcomes: JobOutcomes;
  readonly #idempotent: IdempotentSubmit;
  readonly #maintenance: DeadLetterMaintenance;
  readonly #report: BackgroundErrorReporter;
  readonly #metrics: JobMetrics | undefined;
  /** The timers the options gave, if any (tests): for the backend, the breakers and sweeps. */
  readonly #userTimers: Timers | undefined;
  readonly #idPrefix = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}-`;
  #nextId = 0;
  #opened = false;
  /** Jobs submitted before the backend opened, in order: queued after the ones it kept. */
  readonly #beforeOpen: { job: Job; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #openError: unknown;
  readonly #opening: Promise<void>;
  #closing: Promise<CloseReport> | undefined;

  constructor(options: JobRunnerOptions<T>) {
    super();
    const config = runnerConfig(options as JobRunnerOptions | undefined);
    this.#config = config;
    this.#report = backgroundErrorReporter('JobRunner', config.onError);
    const { clock, registry } = config;
    const userTimers =
      (options as { timers?: unknown }).timers === undefined ? undefined : config.timers;
    this.#userTimers = userTimers;
    const metrics = registry === undefined ? undefined : new JobMetrics(registry);
    const shared = isQueueBackend(config.backend) ? config.backend : undefined;
    this.#metrics = metrics;
    for (const [name, typeConfig] of config.types) {
      const lane = new Lane(typeConfig, {
        clock,
        timers: userTimers,
        onError: config.onError,
      });
      lane.metrics = metrics?.lane(name, {
        queued: () => lane.queued,
        running: () => lane.running.size,
        breaker: () => lane.breaker?.state,
        backlog:
          shared === undefined
            ? undefined
            : async () => {
                await lane.refreshBacklog?.();
                return lane.backlog;
              },
      });
      lane.breaker?.on('stateChange', ({ from, to }) => {
        if (this.listenerCount('breaker') !== 0) this.#emit('breaker', { type: name, from, to });
      });
      lane.breaker?.on('open', ({ retryAfter }) =>
        this.#jobScheduler.wakeAt(clock.now() + retryAfter),
      );
      lane.breaker?.on('halfOpen', () => this.#jobScheduler.pump());
      lane.breaker?.on('close', () => this.#jobScheduler.pump());
      this.#lanes.set(name, lane);
    }
    this.#ownedTracker = config.tracker === undefined;
    this.tracker =
      config.tracker === false
        ? undefined
        : (config.tracker ??
          new PerformanceTracker({
            baselineSamples: 10,
            regressionThreshold: 0.1,
            bottleneck: { warning: '60s', critical: '120s' },
            // A busy type records thousands of runs a second: judge it at most once a second.
            evaluateInterval: '1s',
            clock,
            registry,
            onError: config.onError,
          }));
    // With a shared queue the runner's own queue stays empty: a memory backend stands in for it.
    this.#backend =
      shared === undefined
        ? ((config.backend as JobBackend | undefined) ?? memoryBackend())
        : memoryBackend();
    this.#backendName = {
      name: (config.backend ?? this.#backend).name,
      durable: (config.backend ?? this.#backend).durable,
    };
    this.#ownedStore = config.store === undefined ? new MemoryStore({ clock }) : undefined;
    this.#store = config.store ?? (this.#ownedStore as MemoryStore);
    this.deadLetters = new DeadLetterQueue(
      this.#store.deadLetters,
      (letter, remove) => this.#replay(letter, remove),
      (type) => this.#outcomes.refreshDeadLetters(type),
      (type) => this.#lanes.has(type),
    );
    const host: AttemptHost = {
      clock,
      timers: config.timers,
      progress: (attempt, fraction, message) => this.#outcomes.progress(attempt, fraction, message),
      decided: (attempt, ok, value) => this.#outcomes.decided(attempt, ok, value),
      refused: (attempt) => {
        this.#jobScheduler.add(attempt.job, attempt.lane, true);
        this.#jobScheduler.release(attempt);
      },
      released: (attempt) => {
        // A retry waiting for this handler was queued by the attempt before the slot frees.
        this.#jobScheduler.release(attempt);
      },
    };
    this.#jobScheduler = new JobScheduler([...this.#lanes.values()], config, {
      attempt: (job, lane, now) => {
        const attempt = new Attempt(job, lane, host, now);
        this.#outcomes.started(attempt);
        return attempt;
      },
      drained: () => {
        if (this.listenerCount('drained') !== 0) this.#emit('drained');
      },
    });
    this.#outcomes = new JobOutcomes({
      listeners: this,
      emit: (event, ...args) => this.#emit(event, ...args),
      scheduler: this.#jobScheduler,
      backend: this.#backend,
      keysInStore: true,
      store: this.#store,
      lanes: this.#lanes,
      tracker: this.tracker,
      clock,
      report: this.#report,
    });
    this.#idempotent = new IdempotentSubmit(
      this.#store.idempotency,
      this.#outcomes,
      config.timers,
      this.#report,
    );
    this.#maintenance = new DeadLetterMaintenance({
      store: this.#store.deadLetters,
      clock,
      timers: userTimers ?? systemTimers,
      types: [...this.#lanes.keys()],
      retention: config.retention,
      autoReplay: config.autoReplay,
      replay: (letter) => this.deadLetters.replayLetter(letter),
      report: this.#report,
    });
    this.#queue = shared?.open({
      clock,
      timers: userTimers,
      runnerTimers: config.timers,
      report: this.#report,
      listeners: this,
      emit: (event, ...args) => this.#emit(event, ...args),
      store: this.#store,
      lanes: this.#lanes,
      tracker: this.tracker,
      concurrency: config.concurrency,
      registry,
      connection: (up, error) => this.#connection(up, error),
    });
    this.#opening = this.#queue === undefined ? this.#open() : this.#queue.ready;
    // Reported through onError; `ready()` and every submission reject with it too.
    this.#opening.catch(() => {});
  }

  /** Resolves once the backend is open and the jobs it kept are queued again. */
  ready(): Promise<void> {
    return this.#opening;
  }

  /**
   * Queues a job and answers its handle at once: `id`, `result` (what the handler returns),
   * `accepted` (once the job is stored; for a durable backend, committed). With an
   * `idempotencyKey`, every call within the key's TTL gets the same job and result.
   *
   * @throws UnknownJobTypeError, InvalidPayloadError, ConfigurationError (bad options) or
   *   RunnerClosedError, at the call.
   */
  run<K extends keyof T & string>(
    type: K,
    payload: PayloadOf<T[K]>,
    options?: RunOptions,
  ): JobHandle<ResultOf<T[K]>> {
    const job = this.#prepare('run', type, payload, options);
    const handle = new JobHandle<ResultOf<T[K]>>(job.id, job.type);
    if (job.idempotencyKey !== undefined && this.#queue === undefined) {
      this.#submitKeyed(job, handle as JobHandle);
      return handle;
    }
    job.watch(handle as JobHandle);
    const accepted = this.#submit(job, true);
    if (accepted === undefined) job.acknowledge();
    else {
      accepted.then(
        () => job.acknowledge(),
        (error: unknown) => {
          job.acknowledge(error);
          job.settle(false, error);
        },
      );
    }
    return handle;
  }

  /**
   * Queues a job without waiting for it; resolves with its id once it is accepted (for a
   * durable backend: committed). Throws at the call as `run` does.
   */
  enqueue<K extends keyof T & string>(
    type: K,
    payload: PayloadOf<T[K]>,
    options?: RunOptions,
  ): Promise<string> {
    const job = this.#prepare('enqueue', type, payload, options);
    if (job.idempotencyKey !== undefined && this.#queue === undefined) {
      const handle = new JobHandle(job.id, job.type);
      this.#submitKeyed(job, handle);
      return handle.accepted;
    }
    const accepted = this.#submit(job, false);
    if (accepted === undefined) {
      job.acknowledge();
      return Promise.resolve(job.id);
    }
    return accepted.then(
      () => {
        job.acknowledge();
        return job.id;
      },
      (error: unknown) => {
        job.acknowledge(error);
        job.settle(false, error);
        throw error;
      },
    );
  }

  /** Per type: queued, running, counts, breaker state, latencies and the last error. */
  stats(): Record<keyof T & string, TypeStats> {
    const stats = {} as Record<keyof T & string, TypeStats>;
    for (const [name, lane] of this.#lanes) {
      // A shared queue's counts, as last read; read again in the background when stale.
      lane.refreshBacklog?.();
      stats[name as keyof T & string] = laneStats(lane, this.tracker, this.#config.clock.now());
    }
    return stats;
  }

  /** Jobs waiting (ready or delayed) and running, across types. */
  get counts(): { readonly queued: number; readonly running: number } {
    if (this.#queue !== undefined) return this.#queue.counts();
    return { queued: this.#jobScheduler.queued, running: this.#jobScheduler.running };
  }

  /**
   * The backend's name (`memory`, `sqlite`, `bullmq`), whether it is durable, and whether it is
   * up: false while a shared queue cannot reach its server (`error` says why).
   */
  get backend(): BackendStatus {
    const down = this.#backendDown;
    if (down === undefined) return { ...this.#backendName, up: true };
    return { ...this.#backendName, up: false, error: errorRecord(down.error).message };
  }

  #connection(up: boolean, error: unknown): void {
    if (up === (this.#backendDown === undefined)) return;
    this.#backendDown = up ? undefined : { error };
    this.#metrics?.backendUp(this.#backendName.name, up);
    if (!up) this.#report(error, `${this.#backendName.name} backend connection`);
    if (this.listenerCount('backend') !== 0) {
      this.#emit('backend', { backend: this.#backendName.name, up, error: up ? undefined : error });
    }
  }

  /**
   * The scheduler: cron schedules that queue this runner's jobs, one firing instance per
   * cluster (the holder of a lease in the store's `LeaseStore`). Made on first use.
   *
   * @throws ConfigurationError when the store has no `leases` and `records`.
   */
  get scheduler(): Scheduler {
    if (this.#scheduler === undefined && this.#closing !== undefined) throw new RunnerClosedError();
    this.#scheduler ??= this.#makeScheduler();
    return this.#scheduler;
  }

  /**
   * `scheduler.schedule(name, cron, options)`: a cron schedule that queues a job of
   * `options.type` each tick, or runs the task `options.run`.
   */
  schedule(
    name: string,
    cron: string,
    options: ScheduleOptions & { type?: (keyof T & string) | undefined },
  ): void {
    if (this.#closing !== undefined) throw new RunnerClosedError();
    this.scheduler.schedule(name, cron, options);
  }

  /**
   * The ready-made maintenance schedules, fired once per cluster by the scheduler's leader
   * (instead of the hourly timer every instance runs): `vigil:dead-letter-replay`
   * (`deadLetterReplay`, default `'0 * * * *'`: the letters the auto-replay policy says are due,
   * by default an hour after their failure, doubling, at most 5 replays) and `vigil:retention`
   * (`retention`, default `'0 2 * * *'`: dead letters past the retention, and points of
   * `timeSeries.store` older than `timeSeries.retention`). `false` leaves one out.
   */
  scheduleMaintenance(options: MaintenanceScheduleOptions = {}): void {
    if (this.#closing !== undefined) throw new RunnerClosedError();
    const given = maintenanceConfig(options);
    const maintenance = this.#maintenance;
    maintenance.stopTimer();
    const base = given.timezone === undefined ? {} : { timezone: given.timezone };
    if (given.deadLetterReplay !== false) {
      this.scheduler.schedule('vigil:dead-letter-replay', given.deadLetterReplay, {
        ...base,
        run: () => maintenance.replayDue(),
      });
    }
    if (given.retention !== false) {
      const series = given.timeSeries;
      const clock = this.#config.clock;
      this.scheduler.schedule('vigil:retention', given.retention, {
        ...base,
        run: async () => {
          await maintenance.purgeExpired();
          if (series !== undefined) await series.store.deleteBefore(clock.now() - series.retention);
        },
      });
    }
  }

  #makeScheduler(): Scheduler {
    const { leases, records } = this.#store;
    if (leases === undefined || records === undefined) {
      throw invalidOption(
        'JobRunner.schedule',
        'the scheduler needs a store with leases and records (a Store from @vigil/storage or an adapter)',
      );
    }
    const { scheduler, clock, timers } = this.#config;
    return new Scheduler({
      run: (type, payload, options) =>
        this.run(type as keyof T & string, payload as never, options) as unknown as JobHandle,
      types: [...this.#lanes.keys()],
      leases,
      records,
      owner: scheduler.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      lease: scheduler.lease,
      historySize: scheduler.history,
      clock,
      timers,
      report: this.#report,
    });
  }

  /** True once `close()` was called: the runner takes no jobs. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** The job types this runner knows. */
  get types(): readonly string[] {
    return [...this.#lanes.keys()];
  }

  /**
   * Stops intake (`run` and `enqueue` throw `RunnerClosedError`), lets running jobs finish for up
   * to `timeout`, then aborts them through their signals. Queued jobs: the memory backend drops
   * them (their `result` rejects with `JobCancelledError`; counted in the report), a durable
   * backend keeps them, and the running ones it had to abort, for the next start. Idempotent.
   */
  close(options?: CloseOptions): Promise<CloseReport> {
    if (this.#closing !== undefined) return this.#closing;
    let timeout: number;
    try {
      const given = checkOptionsObject('JobRunner.close', options, ['timeout']);
      timeout = optionalDuration('JobRunner.close', 'timeout', given.timeout) ?? 30_000;
    } catch (error) {
      // A bad timeout leaves the runner open: close() again with a good one.
      return Promise.reject(error);
    }
    this.#closing = closeRunner({
      cron: this.#scheduler,
      timeout,
      opening: this.#opening,
      queue: this.#queue,
      scheduler: this.#jobScheduler,
      outcomes: this.#outcomes,
      lanes: this.#lanes,
      backend: this.#backend,
      maintenance: this.#maintenance,
      timers: this.#config.timers,
      tracker: this.#ownedTracker ? this.tracker : undefined,
      store: this.#ownedStore,
      idempotent: this.#idempotent,
      metrics: this.#metrics,
    });
    return this.#closing;
  }

  /** `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #prepare(method: string, type: unknown, payload: unknown, options: RunOptions | undefined): Job {
    if (this.#closing !== undefined) throw new RunnerClosedError();
    const lane = this.#lanes.get(type as string);
    if (lane === undefined) throw new UnknownJobTypeError(type, [...this.#lanes.keys()]);
    const config = lane.config;
    const checkedPayload =
      config.schema === undefined ? payload : validatePayload(lane.name, config.schema, payload);
    const now = this.#config.clock.now();
    if (options === undefined) {
      return new Job(
        this.#prefixedId(),
        lane.name,
        checkedPayload,
        config.priority,
        now,
        now,
        undefined,
      );
    }
    const checked = checkRunOptions(`JobRunner.${method}`, options, now);
    const key = checked.idempotencyKey;
    const id = key === undefined ? this.#prefixedId() : keyedJobId(lane.name, key);
    return new Job(
      id,
      lane.name,
      checkedPayload,
      checked.priority ?? config.priority,
      now,
      checked.runAt,
      checked.idempotencyKey,
    );
  }

  /** A job with an idempotency key: joins the key's job, or claims the key for this one. */
  #submitKeyed(job: Job, handle: JobHandle): void {
    const ttl = (this.#lanes.get(job.type) as Lane).config.idempotencyTtl;
    this.#idempotent.submit(job, ttl, () => this.#accept(job)).watch(handle);
  }

  #prefixedId(): string {
    return this.#idPrefix + (this.#nextId++).toString(36);
  }

  /**
   * Hands a new job to the shared queue (which dedupes keyed jobs by id itself; `watch`: settle
   * its handles with the outcome), or to the runner's own backend and queue.
   */
  #submit(job: Job, watch: boolean): Promise<void> | undefined {
    return this.#queue === undefined ? this.#accept(job) : this.#queue.submit(job, watch);
  }

  /** Hands a new job to the backend, then to the scheduler; undefined when accepted at once. */
  #accept(job: Job): Promise<void> | undefined {
    if (this.#openError !== undefined) return Promise.reject(this.#openError);
    if (!this.#opened) {
      return new Promise((resolve, reject) => this.#beforeOpen.push({ job, resolve, reject }));
    }
    const durable = this.#backend.add(job);
    if (durable === undefined) {
      this.#outcomes.queue(job);
      return undefined;
    }
    return durable.then(() => {
      this.#outcomes.queue(job);
    });
  }

  /**
   * Opens the backend. One that opens at once (memory) is open when the constructor returns, so
   * the first `run` goes straight to the queue; otherwise jobs wait, in order, in `#beforeOpen`.
   */
  #open(): Promise<void> {
    let opened: ReturnType<JobBackend['open']>;
    try {
      opened = this.#backend.open({
        clock: this.#config.clock,
        timers: this.#userTimers,
        report: this.#report,
      });
    } catch (error) {
      return Promise.reject(this.#openFailed(error));
    }
    if (Array.isArray(opened)) {
      this.#opened = true;
      this.#recover(opened as readonly RecoveredJob[]);
      return Promise.resolve();
    }
    return (opened as Promise<readonly RecoveredJob[]>).then(
      (recovered) => {
        this.#opened = true;
        this.#recover(recovered);
      },
      (error: unknown) => {
        throw this.#openFailed(error);
      },
    );
  }

  #openFailed(error: unknown): unknown {
    this.#openError = error;
    for (const waiting of this.#beforeOpen.splice(0)) waiting.reject(error);
    this.#report(error, 'open backend');
    return error;
  }

  /** Queues what the backend kept, then what was submitted while it opened. */
  #recover(recovered: readonly RecoveredJob[]): void {
    for (const stored of recovered) {
      if (!this.#lanes.has(stored.type)) {
        this.#report(new UnknownJobTypeError(stored.type, [...this.#lanes.keys()]), 'recover job');
        continue;
      }
      this.#outcomes.recover(stored);
    }
    for (const waiting of this.#beforeOpen.splice(0)) {
      const accepted = this.#accept(waiting.job);
      if (accepted === undefined) waiting.resolve();
      else accepted.then(waiting.resolve, waiting.reject);
    }
    for (const type of this.#lanes.keys()) this.#outcomes.refreshDeadLetters(type);
  }

  async #replay(letter: DeadLetter, remove: () => Promise<boolean>): Promise<string> {
    if (this.#closing !== undefined) throw new RunnerClosedError();
    const lane = this.#lanes.get(letter.queue);
    if (lane === undefined) throw new UnknownJobTypeError(letter.queue, [...this.#lanes.keys()]);
    const metadata = letter.metadata ?? {};
    const priority =
      typeof metadata['priority'] === 'number'
        ? (metadata['priority'] as number)
        : lane.config.priority;
    const key =
      typeof metadata['idempotencyKey'] === 'string' ? metadata['idempotencyKey'] : undefined;
    const now = this.#config.clock.now();
    const job = new Job(
      letter.id,
      lane.name,
      letter.payload,
      priority,
      now,
      now,
      key,
      replaysOf(letter) + 1,
    );
    await this.#opening;
    if (this.#queue !== undefined) {
      // The shared queue dedupes by id: a second replay of the letter adds nothing.
      await this.#queue.submit(job, false);
      await remove();
      return job.id;
    }
    if (key !== undefined && !(await this.#idempotent.reclaim(job, lane.config.idempotencyTtl))) {
      // A job under the same key ran (or runs) since: it is the replay's answer.
      await remove();
      return job.id;
    }
    await this.#backend.add(job);
    // A memory runner closing meanwhile would drop the job: the letter stays instead.
    if (this.#closing !== undefined && !this.#backend.durable) throw new RunnerClosedError();
    if ((await remove()) === false) {
      // Another replay of the same letter got there first: it runs the job, not this one.
      this.#backend.finished(job.id);
      return job.id;
    }
    this.#outcomes.queue(job);
    return job.id;
  }

  #emit<K extends keyof JobEvents>(event: K, ...args: JobEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: JobEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#report(error, `'${event}' listener`);
    }
  }
}
