import type { Clock, OnError, Timers } from '@vigil/core';
import { CircuitBreaker, Retry } from '@vigil/resilience';
import type { Attempt } from './attempt.js';
import type { LaneMetrics } from './job-metrics.js';
import type { TypeConfig } from './job-type-options.js';
import { RateWindow } from './rate-window.js';
import { ReadyQueue } from './ready-queue.js';

/** Attempts the recent failure rate is computed over. */
const RECENT = 100;

/** A type's jobs in a shared queue, by state, queue-wide. */
export interface QueueBacklog {
  /** Ready to start (BullMQ's waiting and prioritized). */
  readonly waiting: number;
  readonly delayed: number;
  /** Running in any instance. */
  readonly active: number;
  /** Failed for good and still kept by the queue (normally 0: failed jobs become dead letters). */
  readonly failed: number;
}

/** What a type last failed with, for `GET /jobs` and the stats. */
export interface LastError {
  readonly message: string;
  readonly at: number;
}

/**
 * @internal One job type at run time: its queue, its running jobs, its breaker, retry policy
 * and rate window, its metrics and counts.
 */
export class Lane {
  readonly config: TypeConfig;
  readonly name: string;
  readonly ready = new ReadyQueue();
  /** Jobs of this type in the delay heap. */
  delayed = 0;
  /** Running attempts, overdue ones (timed out, handler still running) included. */
  readonly running = new Set<Attempt>();
  readonly breaker: CircuitBreaker | undefined;
  readonly retry: Retry | undefined;
  readonly rate: RateWindow | undefined;
  metrics: LaneMetrics | undefined;
  lastError: LastError | undefined;
  /** The tracker operation its durations are recorded under. */
  readonly operation: string;
  completed = 0;
  failed = 0;
  deadLettered = 0;
  /** Jobs of a shared queue this process ran again after their worker stopped. */
  recovered = 0;
  /** The latest attempts' outcomes (1 failed, 0 succeeded), a ring of `RECENT`. */
  readonly #recent = new Uint8Array(RECENT);
  #recentCount = 0;
  #recentFailed = 0;

  constructor(
    config: TypeConfig,
    settings: {
      readonly clock: Clock;
      /** Injected timers (tests), or undefined for the breaker's own unref'd default. */
      readonly timers: Timers | undefined;
      readonly onError: OnError | undefined;
    },
  ) {
    this.config = config;
    this.name = config.name;
    this.operation = `job:${config.name}`;
    const { clock, timers, onError } = settings;
    this.retry =
      config.retry === undefined ? undefined : new Retry({ ...config.retry, clock, onError });
    this.breaker =
      config.breaker === undefined
        ? undefined
        : new CircuitBreaker<never>({
            ...config.breaker,
            name: `job:${config.name}`,
            clock,
            // By default the breaker's reset timer does not keep the process alive: the runner
            // keeps it alive itself while jobs wait for the breaker.
            timers,
            onError,
          } as ConstructorParameters<typeof CircuitBreaker<never>>[0]);
    this.rate =
      config.rateLimit === undefined
        ? undefined
        : new RateWindow(config.rateLimit.max, config.rateLimit.interval);
  }

  /**
   * A shared queue's counts of this type, queue-wide (every instance), as last read: set by the
   * queue's engine, which also reads them again when a scrape asks (`refreshBacklog`).
   */
  backlog: QueueBacklog | undefined;
  refreshBacklog: (() => Promise<void>) | undefined;

  /** Jobs waiting: ready and delayed (in a shared queue: queue-wide, as last counted). */
  get queued(): number {
    const backlog = this.backlog;
    return (
      this.ready.size +
      this.delayed +
      (backlog === undefined ? 0 : backlog.waiting + backlog.delayed)
    );
  }

  /** Counts an attempt's outcome into the recent failure rate. */
  recordOutcome(ok: boolean): void {
    const slot = this.#recentCount % RECENT;
    const failed = ok ? 0 : 1;
    if (this.#recentCount >= RECENT) this.#recentFailed -= this.#recent[slot] as number;
    this.#recent[slot] = failed;
    this.#recentFailed += failed;
    this.#recentCount++;
  }

  /** Failed share of the latest attempts (up to 100), and how many that is. */
  recentFailures(): { readonly rate: number; readonly attempts: number } {
    const attempts = Math.min(this.#recentCount, RECENT);
    return { rate: attempts === 0 ? 0 : this.#recentFailed / attempts, attempts };
  }

  /** Whether the breaker lets an attempt start now: closed, or half-open with none running. */
  breakerAllows(): boolean {
    const breaker = this.breaker;
    if (breaker === undefined) return true;
    const state = breaker.state;
    return state === 'closed' || (state === 'half-open' && this.running.size === 0);
  }
}
