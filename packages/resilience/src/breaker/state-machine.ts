import { exponentialDelay } from '../backoff/exponential.js';
import { MAX_TIMER_DELAY } from '../validate.js';
import type { BreakerState, TransitionReason } from './events.js';
import type { BreakerSnapshot } from './snapshot.js';
import type { TripPolicy } from './trip-policy.js';

/** @internal The breaker's state: a new object on every transition. */
export type State =
  | { readonly kind: 'closed' }
  | {
      readonly kind: 'open';
      readonly attempt: number;
      readonly openedAt: number;
      readonly halfOpenAt: number;
    }
  | { readonly kind: 'half-open'; readonly attempt: number; admitted: number; succeeded: number }
  | { readonly kind: 'isolated' };

/** @internal What the state machine needs to know. */
export interface MachineSettings {
  readonly trip: TripPolicy;
  readonly resetTimeout: number;
  readonly resetFactor: number;
  readonly resetMaxDelay: number;
  readonly probes: number;
  readonly clock: { now(): number };
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
 * when every probe succeeded, → open (with a longer delay under reset backoff) when one failed;
 * any state → isolated, closed or open by hand.
 */
export class BreakerStateMachine {
  state: State = { kind: 'closed' };
  readonly #settings: MachineSettings;
  readonly #onTransition: TransitionListener;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(settings: MachineSettings, onTransition: TransitionListener) {
    this.#settings = settings;
    this.#onTransition = onTransition;
  }

  /** Admits a call while not closed: returns the half-open state it probes, or undefined. */
  admit(): State | undefined {
    let state = this.state;
    if (state.kind === 'open') {
      // The timer normally moves to half-open; this covers a late timer or an injected clock.
      if (this.#settings.clock.now() < state.halfOpenAt) return undefined;
      this.halfOpen();
      state = this.state;
    }
    if (state.kind !== 'half-open' || state.admitted >= this.#settings.probes) return undefined;
    state.admitted++;
    return state;
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

  /** Records the outcome of a probe admitted in `state`, unless the breaker moved on. */
  recordProbe(state: State, failed: boolean): void {
    if (state !== this.state || state.kind !== 'half-open') return;
    if (failed) this.open('probe-failed', state.attempt + 1);
    else if (++state.succeeded >= this.#settings.probes) this.close('probes-succeeded');
  }

  /** A probe ended with an error that does not count: its slot goes to another call. */
  releaseProbe(state: State): void {
    if (state === this.state && state.kind === 'half-open') state.admitted--;
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
    this.#transition(
      { kind: 'half-open', attempt: state.attempt, admitted: 0, succeeded: 0 },
      'reset-timeout',
      0,
    );
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
        this.state = { kind: 'half-open', attempt: snapshot.attempt, admitted: 0, succeeded: 0 };
        return;
      case 'isolated':
        this.state = { kind: 'isolated' };
    }
  }

  /** Stops the reset timer; the breaker still half-opens on the first call after the delay. */
  dispose(): void {
    this.#clearTimer();
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
    const timer = setTimeout(this.#onTimer, Math.min(delay, MAX_TIMER_DELAY));
    timer.unref?.();
    this.#timer = timer;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    try {
      this.halfOpen();
    } catch (error) {
      // A throwing event listener must not crash the host from a timer.
      process.emitWarning(
        `a circuit breaker listener threw while it half-opened: ${String(error)}`,
        'VigilWarning',
      );
    }
  };
}
