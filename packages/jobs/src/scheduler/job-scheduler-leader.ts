import type { Clock, TimerHandle, Timers } from '@vigil/core';
import type { Lease, LeaseStore } from '@vigil/storage';

/** The lease every runner of a cluster campaigns for: its holder fires the schedules' ticks. */
export const SCHEDULER_LEASE = 'vigil:jobs:scheduler';

/** @internal What the leader campaign tells the scheduler. */
export interface LeaderEvents {
  /** This instance took the lease (a new fencing token). */
  elected(lease: Lease): void;
  /** This instance lost the lease (expired, taken, or the store failed). */
  deposed(): void;
}

/**
 * @internal One instance's campaign for the scheduler lease: it tries to take or renew the lease
 * every third of its TTL, so a dead leader's lease expires and another instance takes over within
 * the TTL. A store failure counts as losing the lease: never two instances firing ticks
 * knowingly, at worst none for a while.
 */
export class LeaderCampaign {
  readonly #leases: LeaseStore;
  readonly #owner: string;
  readonly #ttl: number;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #events: LeaderEvents;
  readonly #report: (error: unknown, operation: string) => void;
  #lease: Lease | undefined;
  #timer: TimerHandle | undefined;
  #running = false;
  #round: Promise<void> | undefined;

  constructor(settings: {
    leases: LeaseStore;
    owner: string;
    ttl: number;
    clock: Clock;
    timers: Timers;
    events: LeaderEvents;
    report: (error: unknown, operation: string) => void;
  }) {
    this.#leases = settings.leases;
    this.#owner = settings.owner;
    this.#ttl = settings.ttl;
    this.#clock = settings.clock;
    this.#timers = settings.timers;
    this.#events = settings.events;
    this.#report = settings.report;
  }

  /** The lease while this instance leads (checked against the clock). */
  get lease(): Lease | undefined {
    const lease = this.#lease;
    return lease !== undefined && this.#clock.now() < lease.expiresAt ? lease : undefined;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#campaign();
  }

  /** Stops campaigning and gives the lease up, so another instance takes over at once. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#generation++;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#round;
    if (this.#lease !== undefined) {
      this.#lease = undefined;
      this.#events.deposed();
    }
    // Also when a round in flight took the lease as we stopped: release is per owner, so safe.
    await this.#leases
      .release(SCHEDULER_LEASE, this.#owner)
      .catch((error: unknown) => this.#report(error, 'release scheduler lease'));
  }

  /** Bumped by `stop()`: a round of an older campaign does not arm a timer. */
  #generation = 0;

  /** One round now: take or renew the lease; then the next round in a third of the TTL. */
  #campaign(): void {
    this.#timer = undefined;
    const generation = this.#generation;
    this.#round = this.#leases.acquire(SCHEDULER_LEASE, this.#owner, this.#ttl).then(
      (lease) => this.#settle(lease),
      (error: unknown) => {
        this.#report(error, 'scheduler lease');
        this.#settle(undefined);
      },
    );
    void this.#round.finally(() => {
      this.#round = undefined;
      if (this.#running && generation === this.#generation)
        this.#timer = this.#timers.setTimeout(() => this.#campaign(), this.#ttl / 3);
    });
  }

  #settle(lease: Lease | undefined): void {
    if (!this.#running) return;
    const previous = this.#lease;
    this.#lease = lease;
    if (lease !== undefined && previous?.token !== lease.token) this.#events.elected(lease);
    else if (lease === undefined && previous !== undefined) this.#events.deposed();
  }
}
