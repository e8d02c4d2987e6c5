import type { Timers } from '@vigil/core';
import {
  type Job as BullJob,
  UnrecoverableError as BullUnrecoverableError,
  DelayedError,
  type JobsOptions,
} from 'bullmq';
import { Redis } from 'ioredis';
import { Attempt, type AttemptHost } from '../attempt.js';
import { JobBackendError, JobCancelledError, JobFailedError, JobStalledError } from '../errors.js';
import type { Job } from '../job.js';
import type { JobHandle } from '../job-handle.js';
import { errorRecord, JobOutcomes } from '../job-outcomes.js';
import type { Lane } from '../lane.js';
import type { QueueEngine, QueueEngineCloseReport, QueueEngineContext } from '../queue-backend.js';
import type { BullmqBackendConfig } from './bullmq-backend-options.js';
import { bullPriority, type JobData, jobFromBull, stallsOf } from './job-data.js';
import { RunSlots } from './run-slots.js';
import { TypeQueue } from './type-queue.js';

/** The backoff of every job: the worker's strategy reads the delay the type's retry planned. */
const VIGIL_BACKOFF = Object.freeze({ type: 'vigil' });

/** How long each step of `close()` that needs Redis may take, ms. */
const SETTLE = 2_000;

/** How long a job the half-open breaker refused waits before a worker takes it again, ms. */
const REFUSED_DELAY = 1_000;

/** A failed attempt handed back to BullMQ for a retry after `delay` (its backoff strategy reads it). */
class RetryLater extends Error {
  readonly delay: number;

  constructor(message: string, delay: number) {
    super(message);
    this.name = 'RetryLater';
    this.delay = delay;
  }
}

/** How an attempt run by this process's worker ended, for BullMQ. */
type Outcome =
  | { readonly kind: 'completed'; readonly value: unknown }
  | { readonly kind: 'dead-lettered'; readonly error: unknown }
  | { readonly kind: 'retry' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'cancelled' };

const RETRY: Outcome = { kind: 'retry' };
const REFUSED: Outcome = { kind: 'refused' };
const CANCELLED: Outcome = { kind: 'cancelled' };

/**
 * One BullMQ job a worker of this process runs: the job's only watcher (its `settle` is the
 * outcome: completed, dead-lettered, or cancelled by `close()`), and the handler's slot. `done`
 * resolves once both the outcome is known and the handler has settled.
 */
class Running {
  readonly bull: BullJob;
  readonly done: Promise<Outcome>;
  #outcome: Outcome | undefined;
  #released = false;
  #resolve!: (outcome: Outcome) => void;

  constructor(bull: BullJob) {
    this.bull = bull;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** As the job's watcher: stored already, nothing to say. */
  acknowledge(): void {}

  /** As the job's watcher: the runner's outcomes settled the job. */
  settle(ok: boolean, value: unknown): void {
    if (ok) this.decide({ kind: 'completed', value });
    else if (value instanceof JobCancelledError) this.decide(CANCELLED);
    else this.decide({ kind: 'dead-lettered', error: value });
  }

  decide(outcome: Outcome): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = outcome;
    if (this.#released) this.#resolve(outcome);
  }

  release(): void {
    this.#released = true;
    if (this.#outcome !== undefined) this.#resolve(this.#outcome);
  }
}

/** An attempt of a BullMQ job, with its run. */
class QueuedAttempt extends Attempt {
  readonly running: Running;

  constructor(job: Job, lane: Lane, host: AttemptHost, startedAt: number, running: Running) {
    super(job, lane, host, startedAt);
    this.running = running;
  }
}

/**
 * @internal The BullMQ backend at work for one runner: a queue per job type on Redis, shared by
 * every instance. Submitting adds to the type's queue; this process's workers take jobs and run
 * each as one `Attempt` of the type's `Lane` (breaker, timeout, metrics, events), and the
 * runner's `JobOutcomes` decide completion, retry (handed back to BullMQ with the type's backoff)
 * or the dead-letter queue (written to the runner's store before BullMQ is told).
 */
export class BullmqEngine implements QueueEngine {
  readonly ready: Promise<void>;
  readonly #config: BullmqBackendConfig;
  readonly #context: QueueEngineContext;
  readonly #types = new Map<string, TypeQueue>();
  readonly #outcomes: JobOutcomes;
  readonly #host: AttemptHost;
  readonly #slots: RunSlots | undefined;
  /** Jobs submitted with `run` whose handles wait for the outcome, wherever the job runs. */
  readonly #watching = new Map<string, Job[]>();
  /**
   * Outcomes of jobs this process ran, until BullMQ has recorded them: its watchers get the
   * handler's own value or error, not their JSON copies.
   */
  readonly #finishing = new Map<string, unknown>();
  readonly #clients: Redis[] = [];
  /** Processors under way (waiting for a slot, or running): `close()` waits for none. */
  #active = 0;
  #idle: (() => void) | undefined;
  #closed = false;
  /** Whether Redis is reachable, as the watched connection last said. */
  #up = true;
  /**
   * Failures of BullMQ's queues and workers, to `onError`; not while Redis is away: the outage
   * was reported once, and every connection's every reconnection attempt would say it again.
   */
  readonly #report = (error: unknown, operation: string): void => {
    if (this.#up) this.#context.report(error, operation);
  };

  constructor(config: BullmqBackendConfig, context: QueueEngineContext) {
    this.#config = config;
    this.#context = context;
    const connection = config.client ?? this.#ownClient({});
    // Submitting fails fast while Redis is away (a typed error to the caller), instead of
    // queueing the command until it is back; workers wait for it (BullMQ retries them).
    const submitting =
      config.client ?? this.#ownClient({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.#outcomes = new JobOutcomes({
      ...context,
      // A retry: the job's watcher is its run (see `#attempt`).
      scheduler: { add: (job) => (job.handles as unknown as Running | undefined)?.decide(RETRY) },
      backend: { durable: true, started() {}, retrying() {}, finished() {} },
      keysInStore: false,
    });
    this.#host = {
      clock: context.clock,
      timers: context.runnerTimers,
      progress: (attempt, fraction, message) => {
        this.#outcomes.progress(attempt, fraction, message);
        (attempt as QueuedAttempt).running.bull
          .updateProgress({ fraction, ...(message === undefined ? {} : { message }) })
          .catch((error: unknown) => context.report(error, 'store job progress'));
      },
      decided: (attempt, ok, value) => this.#outcomes.decided(attempt, ok, value),
      refused: (attempt) => {
        attempt.lane.running.delete(attempt);
        const { running } = attempt as QueuedAttempt;
        running.decide(REFUSED);
        running.release();
      },
      released: (attempt) => {
        attempt.lane.running.delete(attempt);
        (attempt as QueuedAttempt).running.release();
      },
    };
    // Jobs another instance ran; this process's own settle from its workers' events.
    const listener = {
      completed: (jobId: string, value: unknown) => {
        if (!this.#finishing.has(jobId)) this.#settleWatched(jobId, true, value);
      },
      failed: (jobId: string, reason: string) => {
        if (!this.#finishing.has(jobId)) {
          this.#settleWatched(jobId, false, new JobFailedError(jobId, reason));
        }
      },
    };
    let capacity = 0;
    for (const [name, lane] of context.lanes) {
      const typeQueue = new TypeQueue(lane, connection, submitting, config, listener, this.#report);
      this.#types.set(name, typeQueue);
      capacity += lane.config.concurrency;
    }
    this.#slots = capacity > context.concurrency ? new RunSlots(context.concurrency) : undefined;
    this.#watchConnection(connection);
    if (config.workers) {
      for (const typeQueue of this.#types.values()) this.#startWorker(typeQueue);
    }
    this.ready = this.#open();
  }

  async #open(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const typeQueue of this.#types.values()) {
      waits.push(typeQueue.queue.waitUntilReady());
      if (typeQueue.worker !== undefined) waits.push(typeQueue.worker.waitUntilReady());
    }
    await Promise.all(waits);
  }

  /**
   * Tells the runner when Redis goes away and comes back (its `backend` event and status, the
   * `vigil_jobs_backend_up` gauge, the health check). ioredis reconnects by itself; BullMQ's
   * workers and queues carry on once it has.
   */
  #watchConnection(client: Redis): void {
    let lastError: unknown;
    client.on('error', (error: unknown) => {
      lastError = error;
    });
    client.on('close', () => {
      if (this.#closed || !this.#up) return;
      this.#up = false;
      this.#context.connection(false, lastError ?? new Error('the connection to Redis closed'));
    });
    client.on('ready', () => {
      lastError = undefined;
      if (this.#closed || this.#up) return;
      this.#up = true;
      this.#context.connection(true, undefined);
    });
  }

  #ownClient(options: { enableOfflineQueue?: boolean; maxRetriesPerRequest?: number }): Redis {
    const client = new Redis(this.#config.url as string, {
      maxRetriesPerRequest: null,
      ...options,
    });
    // ioredis reports every failed reconnection; the workers' and queues' `error` events carry
    // what the host needs to know.
    client.on('error', () => undefined);
    this.#clients.push(client);
    return client;
  }

  #startWorker(typeQueue: TypeQueue): void {
    const { lane } = typeQueue;
    const worker = typeQueue.startWorker(
      // Two parameters: BullMQ makes an AbortController per job for a processor that takes a
      // third. The handler's signal is the attempt's own.
      (bull, token) => this.#process(bull, lane, token),
      lane.config.concurrency,
      {
        settings: {
          backoffStrategy: (_attemptsMade, _type, error) =>
            error instanceof RetryLater ? error.delay : 0,
        },
      },
    );
    // While the type's breaker is open this process takes none of its jobs (other instances,
    // with their own breakers, go on); half-open, it takes them again for the probe.
    // Jobs this process ran settle their watchers here, once BullMQ has recorded the outcome
    // (and with the handler's own error); the events settle the ones other instances ran.
    worker.on('completed', (bull) => {
      const id = bull.id as string;
      const value = this.#finishing.get(id);
      this.#finishing.delete(id);
      this.#settleWatched(id, true, value);
    });
    worker.on('failed', (bull, error) => {
      const id = bull?.id;
      if (id === undefined || !(error instanceof BullUnrecoverableError)) return;
      const original = this.#finishing.get(id) ?? new JobFailedError(id, error.message);
      this.#finishing.delete(id);
      this.#settleWatched(id, false, original);
    });
    lane.breaker?.on('open', () => {
      worker.pause(true).catch((error: unknown) => this.#context.report(error, 'pause worker'));
    });
    lane.breaker?.on('halfOpen', () => worker.resume());
    lane.breaker?.on('close', () => worker.resume());
  }

  submit(job: Job, watch: boolean): Promise<void> {
    const typeQueue = this.#types.get(job.type) as TypeQueue;
    if (watch) return this.#submitWatched(typeQueue, job);
    return this.#add(typeQueue, job);
  }

  async #submitWatched(typeQueue: TypeQueue, job: Job): Promise<void> {
    // Listening before the job is added: a fast worker elsewhere cannot finish it unheard.
    await typeQueue.events();
    const watching = this.#watching.get(job.id);
    if (watching === undefined) this.#watching.set(job.id, [job]);
    else watching.push(job);
    try {
      await this.#add(typeQueue, job);
    } catch (error) {
      this.#unwatch(job);
      throw error;
    }
    // A key's job may have finished before: BullMQ keeps it (for the key's TTL) with its result.
    if (job.idempotencyKey !== undefined) await this.#settleIfFinished(typeQueue, job);
  }

  async #add(typeQueue: TypeQueue, job: Job): Promise<void> {
    const { lane } = typeQueue;
    const data: { p?: unknown; k?: string; r?: number } = {};
    if (job.payload !== undefined) data.p = job.payload;
    if (job.idempotencyKey !== undefined) data.k = job.idempotencyKey;
    if (job.replays !== 0) data.r = job.replays;
    const delay = job.runAt - job.enqueuedAt;
    const options: JobsOptions = {
      jobId: job.id,
      priority: bullPriority(job.priority),
      // A key's job stays (with its result) for the key's TTL: a later `run` with the key joins
      // it. A failed job is a dead letter by then: BullMQ forgets it, and frees its id.
      removeOnComplete: job.idempotencyKey === undefined ? true : typeQueue.keptFor,
      removeOnFail: true,
    };
    if (lane.retry !== undefined) {
      options.attempts = typeQueue.attempts;
      options.backoff = VIGIL_BACKOFF;
    }
    if (delay > 0) options.delay = delay;
    try {
      await typeQueue.queue.add(job.type, data, options);
    } catch (error) {
      throw new JobBackendError(
        `could not add job ${job.id} to the BullMQ queue ${job.type}: ${errorRecord(error).message}`,
        { cause: error },
      );
    }
    const { listeners, emit } = this.#context;
    if (listeners.listenerCount('queued') !== 0) {
      emit('queued', { jobId: job.id, type: job.type, priority: job.priority, runAt: job.runAt });
    }
  }

  async #settleIfFinished(typeQueue: TypeQueue, job: Job): Promise<void> {
    const stored = await typeQueue.queue.getJob(job.id);
    if (stored?.finishedOn === undefined) return;
    if (stored.failedReason) {
      this.#settleWatched(job.id, false, new JobFailedError(job.id, stored.failedReason));
    } else this.#settleWatched(job.id, true, stored.returnvalue);
  }

  #settleWatched(jobId: string, ok: boolean, value: unknown): void {
    const jobs = this.#watching.get(jobId);
    if (jobs === undefined) return;
    this.#watching.delete(jobId);
    for (const job of jobs) job.settle(ok, value);
  }

  #unwatch(job: Job): void {
    const jobs = this.#watching.get(job.id);
    if (jobs === undefined) return;
    const left = jobs.filter((watched) => watched !== job);
    if (left.length === 0) this.#watching.delete(job.id);
    else this.#watching.set(job.id, left);
  }

  /** BullMQ's processor for one type: a slot of the runner-wide cap, then the attempt. */
  async #process(bull: BullJob, lane: Lane, token: string | undefined): Promise<unknown> {
    this.#active++;
    const slots = this.#slots;
    try {
      if (slots === undefined) return await this.#attempt(bull, lane, token);
      const waiting = slots.acquire();
      if (waiting !== undefined) await waiting;
      try {
        return await this.#attempt(bull, lane, token);
      } finally {
        slots.release();
      }
    } finally {
      this.#active--;
      if (this.#active === 0) this.#idle?.();
    }
  }

  async #attempt(bull: BullJob, lane: Lane, token: string | undefined): Promise<unknown> {
    const job = jobFromBull(bull, lane.name);
    const running = new Running(bull);
    job.watch(running as unknown as JobHandle);
    const stalls = stallsOf(bull);
    if (stalls > this.#config.maxStalls) {
      const error = new JobStalledError(job.id, stalls);
      running.release();
      this.#outcomes.deadLetter(job, lane, error, 'stalled');
      await running.done;
      throw new BullUnrecoverableError(error.message);
    }
    if (!lane.breakerAllows()) return this.#handBack(bull, token);
    if (stalls > 0) this.#recovered(job, lane, stalls);
    const attempt = new QueuedAttempt(job, lane, this.#host, this.#context.clock.now(), running);
    lane.running.add(attempt);
    this.#outcomes.started(attempt);
    void attempt.start();
    // Once decided and the handler settled: a timed-out handler that ignores its signal keeps
    // the worker's slot until it does.
    const outcome = await running.done;
    switch (outcome.kind) {
      case 'completed':
        if (this.#watching.has(job.id)) this.#finishing.set(job.id, outcome.value);
        return outcome.value;
      case 'dead-lettered':
        if (this.#watching.has(job.id)) this.#finishing.set(job.id, outcome.error);
        throw new BullUnrecoverableError(errorRecord(outcome.error).message);
      case 'retry': {
        const data: JobData = { ...bull.data, d: job.previousDelay, h: job.history, t: job.runAt };
        await bull.updateData(data);
        const last = job.history[job.history.length - 1];
        throw new RetryLater(last?.error.message ?? 'failed', job.previousDelay);
      }
      case 'refused':
        return this.#handBack(bull, token);
      case 'cancelled':
        // `close()` gave up on it: BullMQ is not told, so the job's lock expires and another
        // worker (or the next start) recovers it as stalled.
        return new Promise(() => undefined);
    }
  }

  /** Counts and reports a job that runs again because its worker stopped: perhaps twice. */
  #recovered(job: Job, lane: Lane, stalls: number): void {
    lane.recovered++;
    lane.metrics?.recovered.inc();
    const { listeners, emit } = this.#context;
    if (listeners.listenerCount('recovered') !== 0) {
      emit('recovered', { jobId: job.id, type: job.type, attempt: job.attempts + 1, stalls });
    }
  }

  /** Gives a job the breaker refused back to the queue for later, without spending an attempt. */
  async #handBack(bull: BullJob, token: string | undefined): Promise<never> {
    const data = bull.data as JobData;
    await bull.updateData({ ...data, s: (data.s ?? 0) + 1 });
    await bull.moveToDelayed(Date.now() + REFUSED_DELAY, token);
    throw new DelayedError();
  }

  counts(): { readonly queued: number; readonly running: number } {
    let queued = 0;
    let running = 0;
    for (const { lane } of this.#types.values()) {
      // As last read; read again in the background when older than `countsTtl`.
      void lane.refreshBacklog?.();
      queued += lane.queued;
      running += lane.running.size;
    }
    return { queued, running };
  }

  async close(timeout: number): Promise<QueueEngineCloseReport> {
    if (this.#closed) return { kept: 0, aborted: 0 };
    this.#closed = true;
    const types = [...this.#types.values()];
    const report = (name: string) => (error: unknown) =>
      this.#report(error, `close BullMQ ${name}`);
    // No new jobs are taken; the running ones get `timeout` to finish. Every step that needs
    // Redis is bounded: with Redis away, close() still ends.
    await this.#within(
      Promise.all(types.map((t) => t.worker?.pause(true).catch(report(t.lane.name)))),
      SETTLE,
    );
    const idle = this.#active === 0 || (await this.#waitIdle(timeout));
    let aborted = 0;
    if (!idle) {
      const running = types.flatMap((t) => [...t.lane.running]);
      for (const attempt of running) {
        if (attempt.decided) continue;
        this.#outcomes.abandoned.add(attempt);
        const cancelled = this.#outcomes.cancel(attempt.job);
        attempt.abort(cancelled);
        aborted++;
      }
    }
    await Promise.allSettled([...this.#outcomes.pending]);
    // Idle: BullMQ finishes its bookkeeping of the last jobs (and the watched ones settle). Not
    // idle: their locks expire and another worker recovers them.
    await this.#within(
      Promise.all(types.map((t) => t.closeWorker(!idle).catch(report(t.lane.name)))),
      SETTLE,
    );
    const kept = (await this.#within(this.#countKept(), SETTLE)) ?? 0;
    for (const jobs of this.#watching.values()) {
      for (const job of jobs) job.settle(false, new JobCancelledError(job.id, true));
    }
    this.#watching.clear();
    await this.#within(Promise.all(types.map((t) => t.close().catch(report(t.lane.name)))), SETTLE);
    for (const client of this.#clients) client.disconnect();
    return { kept, aborted };
  }

  /** `promise`'s value, or undefined once `ms` have passed without it. */
  #within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
    const timers = this.#context.runnerTimers;
    let timer: ReturnType<Timers['setTimeout']> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = timers.setTimeout(() => resolve(undefined), ms);
    });
    return Promise.race([promise, late]).finally(() => timers.clearTimeout(timer));
  }

  #waitIdle(timeout: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.#context.runnerTimers.setTimeout(() => resolve(false), timeout);
      this.#idle = () => {
        this.#context.runnerTimers.clearTimeout(timer);
        resolve(true);
      };
    });
  }

  async #countKept(): Promise<number> {
    let kept = 0;
    for (const typeQueue of this.#types.values()) {
      try {
        const counts = await typeQueue.queue.getJobCounts('waiting', 'prioritized', 'delayed');
        kept += (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0) + (counts['delayed'] ?? 0);
      } catch (error) {
        this.#context.report(error, `count BullMQ jobs of ${typeQueue.lane.name}`);
      }
    }
    return kept;
  }
}
