import { setMaxListeners } from 'node:events';
import type { TimerHandle, Timers } from '@vigil/core';
import { TimeoutError } from './errors.js';

/** @internal How late a shared deadline may fire, in ms: calls starting this close share it. */
export const DEADLINE_TOLERANCE = 1;

/** @internal One abort signal and one timer, shared by the calls that started close together. */
export interface DeadlineSlot {
  readonly controller: AbortController;
  /** `performance.now()` time at which the slot aborts. */
  readonly deadline: number;
  /** Calls still running on the slot. */
  pending: number;
  expired: boolean;
  timer: TimerHandle | undefined;
}

/**
 * @internal Hands out abort signals that abort `duration` ms after the call started (at most
 * `DEADLINE_TOLERANCE` ms late). Every call of a timeout policy has the same duration, so
 * deadlines grow with start time: calls that start within the same millisecond share one
 * `AbortController` and one timer instead of making their own (cockatiel makes both per call).
 */
export class SharedDeadlines {
  readonly #duration: number;
  readonly #timers: Timers;
  #current: DeadlineSlot | undefined;
  /** After `close()`, no slot is kept for later calls: each slot's timer ends with its calls. */
  #closed = false;

  constructor(duration: number, timers: Timers) {
    this.#duration = duration;
    this.#timers = timers;
  }

  /** A slot whose deadline is at least `duration` from now; pair with `release`. */
  acquire(): DeadlineSlot {
    const due = performance.now() + this.#duration;
    let slot = this.#current;
    // A deadline further ahead than the tolerance was set on another clock (fake timers
    // installed or removed since): its timer would not fire on this one's time.
    if (
      slot === undefined ||
      slot.expired ||
      slot.deadline < due ||
      slot.deadline > due + DEADLINE_TOLERANCE
    ) {
      if (slot !== undefined && slot.pending === 0) this.#stop(slot);
      slot = this.#start(due + DEADLINE_TOLERANCE);
      if (!this.#closed) this.#current = slot;
    }
    slot.pending++;
    return slot;
  }

  /** The call on `slot` settled. */
  release(slot: DeadlineSlot): void {
    if (--slot.pending === 0 && slot !== this.#current) this.#stop(slot);
  }

  /** Stops the idle timer and keeps no slot from now on; running calls keep their deadlines. */
  close(): void {
    this.#closed = true;
    const slot = this.#current;
    if (slot !== undefined && slot.pending === 0) this.#stop(slot);
    this.#current = undefined;
  }

  #start(deadline: number): DeadlineSlot {
    const controller = new AbortController();
    // Every call on the slot (and its fetch, its driver) may listen on the one shared signal:
    // that is by design, not the leak Node's default limit of 10 listeners warns about.
    setMaxListeners(0, controller.signal);
    const slot: DeadlineSlot = {
      controller,
      deadline,
      pending: 0,
      expired: false,
      timer: undefined,
    };
    slot.timer = this.#timers.setTimeout(
      () => this.#expire(slot),
      this.#duration + DEADLINE_TOLERANCE,
    );
    return slot;
  }

  #expire(slot: DeadlineSlot): void {
    slot.expired = true;
    slot.timer = undefined;
    if (this.#current === slot) this.#current = undefined;
    // Nobody holds the signal any more: no need to abort it.
    if (slot.pending > 0) slot.controller.abort(new TimeoutError(this.#duration));
  }

  #stop(slot: DeadlineSlot): void {
    if (slot.timer !== undefined) this.#timers.clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.expired = true;
  }
}
