import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type TimerHandle,
  type Timers,
} from '@vigil/core';
import { PushError } from '../errors.js';
import { type PeriodicPusherOptions, periodicPusherConfig } from './periodic-pusher-options.js';
import type { Pushgateway } from './pushgateway.js';

/** The first delay after a failed push; it doubles per failure in a row, up to the interval. */
const FIRST_BACKOFF = 1_000;

/** What `close()` managed. */
export interface PeriodicPusherCloseResult {
  /** Whether the last push succeeded. */
  pushed: boolean;
  /** Whether the group was deleted (only with `deleteOnClose`). */
  deleted: boolean;
}

/** Counts of a pusher's work so far. */
export interface PeriodicPusherStats {
  pushes: number;
  failures: number;
  /** Failures since the last success. */
  failuresInARow: number;
  /** When the last push succeeded, ms since the epoch; undefined before the first. */
  lastSuccess: number | undefined;
}

/**
 * Pushes a registry to a Pushgateway every `interval`, from its construction on. A failed push
 * goes to `onError`, never into the host; the next try comes sooner, after 1 s doubling per
 * failure in a row up to the interval (at once back to the interval when the Pushgateway refused
 * the metrics, as a retry would be refused too). Pushes never overlap. `close()` stops the
 * timer, does a last push and, with `deleteOnClose`, deletes the group.
 */
export class PeriodicPusher {
  readonly #gateway: Pushgateway;
  readonly #interval: number;
  readonly #method: 'push' | 'pushAdd';
  readonly #deleteOnClose: boolean;
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #report: BackgroundErrorReporter;
  #timer: TimerHandle | undefined;
  #inFlight: Promise<boolean> | undefined;
  #lastError: unknown;
  #closing: Promise<PeriodicPusherCloseResult> | undefined;
  #stats: PeriodicPusherStats = {
    pushes: 0,
    failures: 0,
    failuresInARow: 0,
    lastSuccess: undefined,
  };

  /** @throws ConfigurationError `INVALID_OPTION` naming a bad option. */
  constructor(options: PeriodicPusherOptions) {
    const config = periodicPusherConfig(options);
    this.#gateway = config.gateway;
    this.#interval = config.interval;
    this.#method = config.method;
    this.#deleteOnClose = config.deleteOnClose;
    this.#timers = config.timers;
    this.#now = () => config.clock.now();
    this.#report = backgroundErrorReporter(`PeriodicPusher ${config.gateway.url}`, config.onError);
    this.#schedule(this.#interval);
  }

  /** Counts of pushes and failures so far. */
  stats(): PeriodicPusherStats {
    return { ...this.#stats };
  }

  /**
   * Pushes now (between two timed pushes); answers whether it succeeded. Never rejects. Once
   * `close()` was called it pushes nothing and answers false: the last push is `close()`'s.
   */
  pushNow(): Promise<boolean> {
    if (this.#closing !== undefined) return Promise.resolve(false);
    return this.#pushOnce();
  }

  /**
   * Stops pushing: waits for a push under way, does a last push and, with `deleteOnClose`,
   * deletes the group. Failures go to `onError`; the result says what succeeded. Idempotent.
   */
  close(): Promise<PeriodicPusherCloseResult> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<PeriodicPusherCloseResult> {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    const pushed = await this.#pushOnce(); // after any push under way: they are chained
    if (!this.#deleteOnClose) return { pushed, deleted: false };
    try {
      await this.#gateway.delete();
      return { pushed, deleted: true };
    } catch (error) {
      this.#report(error, 'delete on close');
      return { pushed, deleted: false };
    }
  }

  #schedule(delay: number): void {
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      void this.#tick();
    }, delay);
  }

  async #tick(): Promise<void> {
    const ok = await this.#pushOnce();
    if (this.#closing !== undefined) return;
    this.#schedule(ok ? this.#interval : this.#retryDelay());
  }

  #pushOnce(): Promise<boolean> {
    const previous = this.#inFlight ?? Promise.resolve(true);
    const push = previous.then(() => this.#push());
    this.#inFlight = push;
    return push;
  }

  async #push(): Promise<boolean> {
    try {
      await this.#gateway[this.#method]();
      this.#stats.pushes++;
      this.#stats.failuresInARow = 0;
      this.#stats.lastSuccess = this.#now();
      return true;
    } catch (error) {
      this.#stats.failures++;
      this.#stats.failuresInARow++;
      this.#lastError = error;
      this.#report(error, this.#method);
      return false;
    }
  }

  #retryDelay(): number {
    const refused = this.#lastError instanceof PushError && !this.#lastError.retryable;
    if (refused) return this.#interval;
    const backoff = FIRST_BACKOFF * 2 ** Math.min(this.#stats.failuresInARow - 1, 30);
    return Math.min(backoff, this.#interval);
  }
}
