import type { Clock, TimerHandle, Timers } from '@vigil/core';
import { describeValue, invalidOption } from '@vigil/core/options';
import { BreakerOpenError, TimeoutError } from '@vigil/resilience';
import type { Job } from './job.js';
import type { JobContext } from './job-context.js';
import type { Lane } from './lane.js';

/** @internal What an attempt reports to the runner. */
export interface AttemptHost {
  readonly clock: Clock;
  readonly timers: Timers;
  /** The handler reported progress. */
  progress(attempt: Attempt, fraction: number, message: string | undefined): void;
  /** The attempt's outcome is known: its value, or its error (a `TimeoutError` past the timeout). */
  decided(attempt: Attempt, ok: boolean, value: unknown): void;
  /** The breaker refused the attempt before it ran: the job goes back to the queue, unspent. */
  refused(attempt: Attempt): void;
  /** The handler settled (`released` set, `afterRelease` run): its concurrency slot is free. */
  released(attempt: Attempt): void;
}

/**
 * @internal One attempt of a job, and the `context` its handler gets. It holds its concurrency
 * slot until the handler settles, even when the outcome was decided earlier by the timeout: a
 * handler that ignores its signal cannot push concurrency past the limit.
 */
export class Attempt implements JobContext {
  readonly job: Job;
  readonly lane: Lane;
  readonly attempt: number;
  readonly startedAt: number;
  /** When the outcome was known (read once: the breaker and the outcome both use it). */
  endedAt = 0;
  /** Decided by the timeout while the handler still runs. */
  overdue = false;
  /** The outcome is known (the handler may still run, if overdue). */
  decided = false;
  #controller: AbortController | undefined;
  #timer: TimerHandle | undefined;
  readonly #host: AttemptHost;

  constructor(job: Job, lane: Lane, host: AttemptHost, startedAt: number) {
    this.job = job;
    this.lane = lane;
    this.attempt = job.attempts + 1;
    this.#host = host;
    this.startedAt = startedAt;
  }

  get jobId(): string {
    return this.job.id;
  }

  get type(): string {
    return this.lane.name;
  }

  get idempotencyKey(): string | undefined {
    return this.job.idempotencyKey;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /**
   * Reports progress. A getter answering a bound function, made on first use, so that
   * `({ progress }) => progress(0.5)` works like `context.progress(0.5)`.
   */
  get progress(): (fraction: number, message?: string) => void {
    this.#progress ??= (fraction, message) => this.#reportProgress(fraction, message);
    return this.#progress;
  }

  #progress: ((fraction: number, message?: string) => void) | undefined;

  /** Runs after the handler settles: a retry of an overdue attempt waits for it. */
  afterRelease: (() => void) | undefined;
  /** The handler settled and the slot is free. */
  released = false;

  #reportProgress(fraction: number, message: string | undefined): void {
    if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
      throw invalidOption(
        'JobContext',
        `progress should be a fraction from 0 to 1, got ${describeValue(fraction)}`,
      );
    }
    if (message !== undefined && typeof message !== 'string') {
      throw invalidOption(
        'JobContext',
        `progress message should be a string, got ${describeValue(message)}`,
      );
    }
    this.#host.progress(this, fraction, message);
  }

  /** Aborts the handler's signal (timeout, or `close()` giving up on it). */
  abort(reason: unknown): void {
    this.#controller ??= new AbortController();
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  /**
   * Runs the handler, through the type's breaker, under its timeout; reports the outcome, then
   * frees the slot (an overdue attempt frees it only when its handler settles). One async
   * method, so the plain path allocates no closure.
   */
  async start(): Promise<void> {
    const breaker = this.lane.breaker;
    // While the breaker is closed the attempt runs straight and is counted after; otherwise it
    // goes through execute(), which admits half-open probes.
    const direct = breaker === undefined || breaker.state === 'closed';
    let ok = true;
    let value: unknown;
    try {
      value = await (direct ? this.#invoke() : breaker.execute(() => this.#invoke()));
    } catch (error) {
      ok = false;
      value = error;
    }
    this.endedAt = this.#host.clock.now();
    if (direct && breaker !== undefined) {
      const duration = this.endedAt - this.startedAt;
      if (ok) breaker.recordSuccess(duration);
      else breaker.recordFailure(value, duration);
    }
    this.decided = true;
    if (!ok && !this.#ran && value instanceof BreakerOpenError) {
      this.#host.refused(this);
      return;
    }
    try {
      this.#host.decided(this, ok, value);
    } finally {
      // Whatever deciding the outcome threw (a bug, a backend that threw), the slot is freed.
      if (!this.overdue) this.#release();
    }
  }

  /** The handler settled: a retry waiting for it is queued first, then the slot is freed. */
  #release(): void {
    this.released = true;
    this.afterRelease?.();
    this.#host.released(this);
  }

  #ran = false;

  #invoke(): unknown {
    this.#ran = true;
    const timeout = this.lane.config.timeout;
    if (timeout === undefined) return this.lane.config.handler(this.job.payload, this);
    let raw: unknown;
    try {
      raw = this.lane.config.handler(this.job.payload, this);
    } catch (error) {
      raw = Promise.reject(error);
    }
    return this.#withTimeout(raw instanceof Promise ? raw : Promise.resolve(raw), timeout);
  }

  #withTimeout(settled: Promise<unknown>, timeout: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#timer = this.#host.timers.setTimeout(() => {
        this.#timer = undefined;
        this.overdue = true;
        // The outcome is decided now, but the slot is held until the handler settles.
        const release = (): void => this.#release();
        settled.then(release, release);
        const error = new TimeoutError(timeout);
        this.abort(error);
        reject(error);
      }, timeout);
      settled.then(
        (value) => {
          this.#clearTimer();
          resolve(value);
        },
        (error: unknown) => {
          this.#clearTimer();
          reject(error);
        },
      );
    });
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      this.#host.timers.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}
