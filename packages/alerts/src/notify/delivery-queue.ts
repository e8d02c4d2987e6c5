import type { BackgroundErrorReporter, TimerHandle, Timers } from '@vigil/core';
import { DeliveryError } from '../errors.js';
import type { Channel, Notification } from './notification.js';

/** How a failed delivery is retried. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  /** The wait before the second try; doubled each time, with jitter, up to `maxDelay`. */
  readonly initialDelay: number;
  readonly maxDelay: number;
  /** How long one try may take before it is aborted. */
  readonly timeout: number;
}

/** A notification on its way to one channel of a receiver. */
export interface Delivery {
  readonly id: string;
  readonly receiver: string;
  /** The channel's index in the receiver's list. */
  readonly channel: number;
  readonly notification: Notification;
  attempts: number;
  /** When the next try is due, ms. */
  dueAt: number;
  lastError?: string | undefined;
}

/** What the queue tells its owner. */
export interface DeliveryEvents {
  delivered(delivery: Delivery, ms: number): void;
  failed(delivery: Delivery, error: unknown, willRetry: boolean): void;
  changed(): void;
}

/**
 * @internal One queue per channel: deliveries in order, one at a time, retried with backoff on a
 * retryable failure, given up after the last try (the owner dead-letters it). A slow or dead
 * channel holds only its own queue.
 */
export class DeliveryQueue {
  readonly #channel: Channel;
  readonly #policy: RetryPolicy;
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #events: DeliveryEvents;
  readonly #report: BackgroundErrorReporter;
  readonly #pending: Delivery[] = [];
  #timer: TimerHandle | undefined;
  #sending: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #closed = false;
  /** Bumped by `reset()`: a try that was in flight then reports nothing. */
  #generation = 0;

  constructor(settings: {
    channel: Channel;
    policy: RetryPolicy;
    timers: Timers;
    now: () => number;
    events: DeliveryEvents;
    report: BackgroundErrorReporter;
  }) {
    this.#channel = settings.channel;
    this.#policy = settings.policy;
    this.#timers = settings.timers;
    this.#now = settings.now;
    this.#events = settings.events;
    this.#report = settings.report;
  }

  get length(): number {
    return this.#pending.length;
  }

  /** The deliveries waiting, the one being sent included. */
  deliveries(): readonly Delivery[] {
    return this.#pending;
  }

  push(delivery: Delivery): void {
    this.#pending.push(delivery);
    this.#kick();
  }

  /** Stops sending: the one in flight is aborted; what waits stays in the queue (and the outbox). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#abort?.abort();
    await this.#sending;
  }

  /**
   * Drops what waits and aborts the try in flight, without closing: this notifier no longer
   * sends (another leader took over, from the outbox).
   */
  async reset(): Promise<void> {
    this.#generation++;
    this.#pending.length = 0;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
    await this.#sending;
  }

  /** Waits until the queue is empty or only holds deliveries waiting for a retry. */
  async idle(): Promise<void> {
    while (this.#sending !== undefined) await this.#sending;
  }

  #kick(): void {
    if (this.#closed || this.#sending !== undefined) return;
    const next = this.#pending[0];
    if (next === undefined) return;
    const wait = next.dueAt - this.#now();
    if (wait > 0) {
      if (this.#timer === undefined) {
        this.#timer = this.#timers.setTimeout(() => {
          this.#timer = undefined;
          this.#kick();
        }, wait);
      }
      return;
    }
    this.#sending = this.#send(next).finally(() => {
      this.#sending = undefined;
      this.#kick();
    });
  }

  async #send(delivery: Delivery): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const timer = this.#timers.setTimeout(() => abort.abort(), this.#policy.timeout);
    const started = this.#now();
    const generation = this.#generation;
    delivery.attempts++;
    try {
      await this.#channel.send(delivery.notification, { signal: abort.signal });
      if (generation !== this.#generation) return;
      this.#pending.shift();
      this.#safely(() => this.#events.delivered(delivery, this.#now() - started));
    } catch (error) {
      if (this.#closed || generation !== this.#generation) return;
      const retryable =
        error instanceof DeliveryError ? error.retryable : !(error instanceof TypeError);
      const willRetry = retryable && delivery.attempts < this.#policy.maxAttempts;
      delivery.lastError = error instanceof Error ? error.message : String(error);
      if (willRetry) {
        const backoff = Math.min(
          this.#policy.maxDelay,
          this.#policy.initialDelay * 2 ** (delivery.attempts - 1),
        );
        const hinted = error instanceof DeliveryError ? (error.retryAfter ?? 0) : 0;
        // Full jitter on the backoff, so that many groups failing at once do not retry in step.
        delivery.dueAt =
          this.#now() + Math.max(hinted, backoff / 2 + (Math.random() * backoff) / 2);
      } else {
        this.#pending.shift();
      }
      this.#safely(() => this.#events.failed(delivery, error, willRetry));
    } finally {
      this.#timers.clearTimeout(timer);
      this.#abort = undefined;
      this.#safely(() => this.#events.changed());
    }
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#report(error, 'delivery listener');
    }
  }
}
