import type { Clock, TimerHandle, Timers } from '@vigil/core';

/**
 * @internal The leases of the jobs running in this process, renewed by one timer for the whole
 * backend: every quarter lease it renews, in one batch, every lease past its half. The timer runs
 * only while a job runs, and never keeps the process alive (`systemTimers` unrefs it).
 */
export class LeaseRenewal {
  readonly #lease: number;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #renew: (id: string) => void;
  /** Running jobs, by id: until when each is leased. */
  readonly #running = new Map<string, number>();
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(lease: number, clock: Clock, timers: Timers, renew: (id: string) => void) {
    this.#lease = lease;
    this.#clock = clock;
    this.#timers = timers;
    this.#renew = renew;
  }

  /** A job started, leased until `leaseUntil`. */
  started(id: string, leaseUntil: number): void {
    this.#running.set(id, leaseUntil);
    if (this.#timer === undefined && !this.#stopped) this.#schedule();
  }

  /** Until when a running job is leased; undefined once it stopped. */
  leaseOf(id: string): number | undefined {
    return this.#running.get(id);
  }

  /** A job stopped running (retrying, finished): its lease is not renewed any more. */
  stopped(id: string): void {
    this.#running.delete(id);
  }

  /** Stops renewing; the leases on disk expire as they are. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = this.#timers.setTimeout(() => this.#tick(), Math.max(1, this.#lease / 4));
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopped || this.#running.size === 0) return;
    const now = this.#clock.now();
    const half = this.#lease / 2;
    for (const [id, leaseUntil] of this.#running) {
      if (leaseUntil - now > half) continue;
      const renewed = now + this.#lease;
      this.#running.set(id, renewed);
      this.#renew(id);
    }
    this.#schedule();
  }
}
