import { Queue, QueueEvents, Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Lane, QueueBacklog } from '../lane.js';
import type { BullmqBackendConfig } from './bullmq-backend-options.js';

/** What a type's queue tells the engine about the jobs it watches. */
export interface TypeQueueListener {
  completed(jobId: string, value: unknown): void;
  failed(jobId: string, reason: string): void;
}

/**
 * @internal One job type on BullMQ: its `Queue` (submitting, counts), its `Worker` (this
 * process's share of the runs; none when `workers: false`) and, made on the first `run` that
 * waits for a result, its `QueueEvents` (results of jobs that ran anywhere).
 */
export class TypeQueue {
  readonly lane: Lane;
  readonly queue: Queue;
  /** BullMQ's `attempts` for the type's jobs: its retry policy's, which decides each retry. */
  readonly attempts: number;
  /** How long a keyed job is kept once completed: the type's `idempotencyTtl`. */
  readonly keptFor: { readonly age: number };
  worker: Worker | undefined;
  #events: QueueEvents | undefined;
  #eventsReady: Promise<void> | undefined;
  /** For the worker and the events: blocking reads, commands that wait while Redis is away. */
  readonly #connection: Redis;
  readonly #config: BullmqBackendConfig;
  readonly #listener: TypeQueueListener;
  readonly #report: (error: unknown, operation: string) => void;
  #backlogAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | undefined;

  constructor(
    lane: Lane,
    connection: Redis,
    submitting: Redis,
    config: BullmqBackendConfig,
    listener: TypeQueueListener,
    report: (error: unknown, operation: string) => void,
  ) {
    this.lane = lane;
    this.#connection = connection;
    this.#config = config;
    this.#listener = listener;
    this.#report = report;
    this.queue = new Queue(lane.name, { connection: submitting, prefix: config.prefix });
    this.queue.on('error', (error) => report(error, `BullMQ queue ${lane.name}`));
    lane.refreshBacklog = () => this.#refreshBacklog();
    const maxAttempts = lane.retry?.maxAttempts ?? 1;
    this.attempts = Number.isFinite(maxAttempts) ? maxAttempts : Number.MAX_SAFE_INTEGER;
    this.keptFor = { age: Math.max(1, Math.ceil(lane.config.idempotencyTtl / 1000)) };
  }

  /** Starts this process's worker for the type. */
  startWorker(
    processor: NonNullable<ConstructorParameters<typeof Worker>[1]>,
    concurrency: number,
    options: Pick<WorkerOptions, 'settings'>,
  ): Worker {
    const { lane } = this;
    const rate = lane.config.rateLimit;
    const worker = new Worker(lane.name, processor, {
      connection: this.#connection,
      prefix: this.#config.prefix,
      concurrency,
      lockDuration: this.#config.lockDuration,
      stalledInterval: this.#config.stalledInterval,
      // The backend counts stalls itself and dead-letters past `maxStalls`; BullMQ must let it.
      maxStalledCount: this.#config.maxStalls + 1,
      ...(rate === undefined ? {} : { limiter: { max: rate.max, duration: rate.interval } }),
      ...options,
    });
    worker.on('error', (error) => this.#report(error, `BullMQ worker ${lane.name}`));
    this.worker = worker;
    return worker;
  }

  /** The type's `QueueEvents`, listening, made on first use. */
  events(): Promise<void> {
    if (this.#eventsReady !== undefined) return this.#eventsReady;
    const events = new QueueEvents(this.lane.name, {
      connection: this.#connection,
      prefix: this.#config.prefix,
    });
    events.on('error', (error) => this.#report(error, `BullMQ events ${this.lane.name}`));
    events.on('completed', ({ jobId, returnvalue }) =>
      this.#listener.completed(jobId, returnvalue),
    );
    events.on('failed', ({ jobId, failedReason }) => this.#listener.failed(jobId, failedReason));
    this.#events = events;
    this.#eventsReady = events.waitUntilReady().then(() => undefined);
    return this.#eventsReady;
  }

  /** Reads the queue-wide counts again, unless read within `countsTtl`. */
  #refreshBacklog(): Promise<void> {
    if (this.#reading !== undefined) return this.#reading;
    if (performance.now() - this.#backlogAt < this.#config.countsTtl) return Promise.resolve();
    this.#reading = this.queue
      .getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed')
      .then(
        (counts) => {
          this.#backlogAt = performance.now();
          const backlog: QueueBacklog = {
            waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
            delayed: counts['delayed'] ?? 0,
            active: counts['active'] ?? 0,
            failed: counts['failed'] ?? 0,
          };
          this.lane.backlog = backlog;
        },
        (error: unknown) => this.#report(error, `count BullMQ jobs of ${this.lane.name}`),
      )
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }

  /** Closes the worker; `force`: without waiting for BullMQ to finish its running jobs. */
  async closeWorker(force: boolean): Promise<void> {
    await this.worker?.close(force);
  }

  /** Closes the events and the queue. */
  async close(): Promise<void> {
    this.lane.refreshBacklog = undefined;
    await this.#events?.close();
    await this.queue.close();
  }
}
