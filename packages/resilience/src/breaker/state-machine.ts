import type { Clock, TimerHandle, Timers } from '@vigil/core';
import { MAX_TIMER_DELAY } from '@vigil/core/options';
import { exponentialDelay } from '../backoff/exponential.js';
import type { BreakerState, TransitionReason } from './events.js';
import type { BreakerSnapshot } from './snapshot.js';
import type { TripPolicy } from './trip-policy.js';

/** @internal A half-open period: a new object each time the breaker half-opens. */
export interface HalfOpenState {
  readonly kind: 'half-open';
  readonly attempt: number;
  /** Probe calls let through in this period (released slots given back). */
  admitted: number;
  succeeded: number;
  /** The probes still running, oldest (earliest deadline) first. */
  readonly running: Probe[];
}

/** @internal The breaker's state: a new object on every transition. */
export type State =
  | { readonly kind: 'closed' }
  | {
      readonly kind: 'open';
      readonly attempt: number;
      readonly openedAt: number;
      readonly halfOpenAt: number;
    }
  | HalfOpenState
  | { readonly kind: 'isolated' };

/**
 * @internal A probe call: its outcome counts only for the half-open period that admitted it, and
 * only until `deadline` (clock ms), past which it counts as failed and the breaker reopens.
 */
export interface Probe {
  readonly period: HalfOpenState;
  readonly deadline: number;
}

/** @internal What the state machine needs to know. */
export interface MachineSettings {
  readonly trip: TripPolicy;
  readonly resetTimeout: number;
  readonly resetFactor: number;
  readonly resetMaxDelay: number;
  readonly probes: number;
  readonly probeTimeout: number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly report: (error: unknown, operation: string) => void;
}

/** @internal Told about every transition (events, the state gauge). */
export type TransitionListener = (
  from: BreakerState,
  to: State,
  reason: TransitionReason,
  delay: number,
) => void;

/**
 * @internal The breaker's transitions: closed → open when the trip policy says so; open →
 * half-open after the reset delay (a timer, or the first call after it); half-open → closed
 * when every probe succeeded, → open (with a longer delay under reset backoff) when one failed
 * or ran past `probeTimeout` (a timer, or the first call after the deadline); any state →
 * isolated, closed or open by hand. There is at most one timer: the reset timer while open, the
 * oldest probe's deadline while half-open.
 */
export class BreakerStateMachine {
  state: State = { kind: 'closed' };
  readonly #settings: MachineSettings;
  readonly #onTransition: TransitionListener;
  #timer: TimerHandle | undefined;
  /** After `stop()` no timer is started: the clock alone moves the breaker on, call by call. */
  #stopped = false;

  constructor(settings: MachineSettings, onTransition: TransitionListener) {
    this.#settings = settings;
    this.#onTransition = onTransition;
  }

  /** Admits a call while not closed: returns the probe it runs as, or undefined to reject it. */
  admit(): Probe | undefined {
    let state = this.state;
    const now = this.#settings.clock.now();
    if (state.kind === 'open') {
      // The timer normally moves to half-open; this covers a late timer or an injected clock.
      if (now < state.halfOpenAt) return undefined;
      this.halfOpen();
      state = this.state;
    }
    if (state.kind !== 'half-open') return undefined;
    const oldest = state.running[0];
    if (oldest !== undefined && now >= oldest.deadline) {
      // The same for a probe past its deadline: it is abandoned, and this call rejected.
      this.#abandon(state);
      return undefined;
    }
    if (state.admitted >= this.#settings.probes) return undefined;
    state.admitted++;
    const probe: Probe = { period: state, deadline: now + this.#settings.probeTimeout };
    state.running.push(probe);
    if (state.running.length === 1) this.#schedule(this.#settings.probeTimeout);
    return probe;
  }

  /** Milliseconds until a call could be admitted. */
  retryAfter(): number {
    const state = this.state;
    if (state.kind === 'open') return Math.max(0, state.halfOpenAt - this.#settings.clock.now());
    return state.kind === 'isolated' ? Number.POSITIVE_INFINITY : 0;
  }

  /** Records a call that ran in the closed state, if the breaker is still closed. */
  recordClosed(failed: boolean, slow: boolean): void {
    if (this.state.kind !== 'closed') return;
    const reason = this.#settings.trip.record(failed, slow);
    if (reason !== undefined) this.open(reason, 1);
  }

  /** Records the outcome of `probe`, unless its half-open period is over (or it was abandoned). */
  recordProbe(probe: Probe, failed: boolean): void {
    const state = probe.period;
    if (state !== this.state || !this.#settle(state, probe)) return;
    if (failed) this.open('probe-failed', state.attempt + 1);
    else if (++state.succeeded >= this.#settings.probes) this.close('probes-succeeded');
  }

  /** A probe ended with an error that does not count: its slot goes to another call. */
  releaseProbe(probe: Probe): void {
    const state = probe.period;
    if (state === this.state && this.#settle(state, probe)) state.admitted--;
  }

  open(reason: TransitionReason, attempt: number): void {
    const { clock, resetTimeout, resetFactor, resetMaxDelay } = this.#settings;
    const delay = exponentialDelay(attempt, resetTimeout, resetFactor, resetMaxDelay);
    const openedAt = clock.now();
    const from = this.#enter({ kind: 'open', attempt, openedAt, halfOpenAt: openedAt + delay });
    this.#schedule(delay);
    this.#onTransition(from, this.state, reason, delay);
  }

  halfOpen(): void {
    const state = this.state;
    if (state.kind !== 'open') return;
    this.#transition(halfOpenState(state.attempt), 'reset-timeout', 0);
  }

  close(reason: TransitionReason): void {
    this.#settings.trip.reset();
    this.#transition({ kind: 'closed' }, reason, 0);
  }

  isolate(): void {
    this.#transition({ kind: 'isolated' }, 'manual', Number.POSITIVE_INFINITY);
  }

  snapshot(): BreakerSnapshot {
    const state = this.state;
    switch (state.kind) {
      case 'closed':
        return { version: 1, state: 'closed', window: this.#settings.trip.snapshot() };
      case 'open':
        return {
          version: 1,
          state: 'open',
          attempt: state.attempt,
          openedAt: state.openedAt,
          halfOpenAt: state.halfOpenAt,
        };
      case 'half-open':
        return { version: 1, state: 'half-open', attempt: state.attempt };
      case 'isolated':
        return { version: 1, state: 'isolated' };
    }
  }

  /** Loads a validated snapshot, without telling the listener (nothing changed yet). */
  restore(snapshot: BreakerSnapshot): void {
    switch (snapshot.state) {
      case 'closed':
        this.#settings.trip.restore(snapshot.window);
        return;
      case 'open':
        this.state = {
          kind: 'open',
          attempt: snapshot.attempt,
          openedAt: snapshot.openedAt,
          halfOpenAt: snapshot.halfOpenAt,
        };
        this.#schedule(Math.max(0, snapshot.halfOpenAt - this.#settings.clock.now()));
        return;
      case 'half-open':
        this.state = halfOpenState(snapshot.attempt);
        return;
      case 'isolated':
        this.state = { kind: 'isolated' };
    }
  }

  /** Clears the timer and starts no other: from now on only calls move the breaker on. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  /** Takes `probe` off the running list, re-arming the timer for the next oldest. */
  #settle(state: HalfOpenState, probe: Probe): boolean {
    const index = state.running.indexOf(probe);
    if (index < 0) return false;
    state.running.splice(index, 1);
    if (index === 0) {
      this.#clearTimer();
      const next = state.running[0];
      if (next !== undefined) {
        this.#schedule(Math.max(0, next.deadline - this.#settings.clock.now()));
      }
    }
    return true;
  }

  /** The oldest probe ran past its deadline: it counts as failed, and its outcome no more. */
  #abandon(state: HalfOpenState): void {
    this.open('probe-timeout', state.attempt + 1);
  }

  #transition(to: State, reason: TransitionReason, delay: number): void {
    const from = this.#enter(to);
    this.#onTransition(from, to, reason, delay);
  }

  /** Replaces the state and stops the old state's timer; returns the old state's kind. */
  #enter(to: State): BreakerState {
    const from = this.state.kind;
    this.state = to;
    this.#clearTimer();
    return from;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = this.#settings.timers.setTimeout(this.#onTimer, Math.min(delay, MAX_TIMER_DELAY));
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      this.#settings.timers.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    const state = this.state;
    // Nothing may throw from a timer into the host: listeners are guarded where they are
    // called (CircuitBreaker), and anything else goes to onError as well.
    try {
      if (state.kind === 'open') this.halfOpen();
      else if (state.kind === 'half-open' && state.running.length > 0) this.#abandon(state);
    } catch (error) {
      this.#settings.report(error, `the ${state.kind} timer`);
    }
  };
}

function halfOpenState(attempt: number): HalfOpenState {
  return { kind: 'half-open', attempt, admitted: 0, succeeded: 0, running: [] };
}
