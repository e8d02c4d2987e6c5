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
  /** The handler settled: its concurrency slot is free. */
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
  /** Decided by the timeout while the handler still runs. */
  overdue = false;
  /** The outcome is known (the handler may still run, if overdue). */
  decided = false;
  #controller: AbortController | undefined;
  #timer: TimerHandle | undefined;
  readonly #host: AttemptHost;

  constructor(job: Job, lane: Lane, host: AttemptHost) {
    this.job = job;
    this.lane = lane;
    this.attempt = job.attempts + 1;
    this.#host = host;
    this.startedAt = host.clock.now();
  }

  get jobId(): string {
    return this.job.id;
  }

  get type(): string {
    return this.lane.name;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  progress(fraction: number, message?: string): void {
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

  /** Runs the handler, through the type's breaker, under its timeout. */
  start(): void {
    const breaker = this.lane.breaker;
    let outcome: Promise<unknown>;
    if (breaker === undefined) {
      outcome = this.#run();
    } else {
      outcome = breaker.execute(this.#run);
    }
    outcome.then(this.#fulfilled, this.#rejected);
  }

  #ran = false;

  readonly #run = (): Promise<unknown> => {
    this.#ran = true;
    let raw: unknown;
    try {
      raw = this.lane.config.handler(this.job.payload, this);
    } catch (error) {
      raw = Promise.reject(error);
    }
    const settled = raw instanceof Promise ? raw : Promise.resolve(raw);
    const timeout = this.lane.config.timeout;
    return timeout === undefined ? settled : this.#withTimeout(settled, timeout);
  };

  #withTimeout(settled: Promise<unknown>, timeout: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#timer = this.#host.timers.setTimeout(() => {
        this.#timer = undefined;
        this.overdue = true;
        // The outcome is decided now, but the slot is held until the handler settles.
        settled.then(this.#release, this.#release);
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

  readonly #fulfilled = (value: unknown): void => {
    this.decided = true;
    this.#host.decided(this, true, value);
    if (!this.overdue) this.#host.released(this);
  };

  readonly #rejected = (error: unknown): void => {
    this.decided = true;
    if (!this.#ran && error instanceof BreakerOpenError) {
      this.#host.refused(this);
      return;
    }
    this.#host.decided(this, false, error);
    if (!this.overdue) this.#host.released(this);
  };

  readonly #release = (): void => {
    this.#host.released(this);
  };
}
