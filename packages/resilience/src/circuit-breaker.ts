import { abortedError, NEVER_ABORTED } from './abort.js';
import type { BreakerEvents, BreakerState, TransitionReason } from './breaker/events.js';
import { BREAKER_STATE_VALUE, BreakerMetrics } from './breaker/metrics.js';
import {
  type BreakerConfig,
  breakerConfig,
  type CircuitBreakerOptions,
} from './breaker/options.js';
import type { BreakerSnapshot } from './breaker/snapshot.js';
import { BreakerStateMachine, type Probe, type State } from './breaker/state-machine.js';
import { emitReporting } from './emit-reporting.js';
import { BreakerOpenError, isTimeout } from './errors.js';
import { ObservedEmitter } from './observed-emitter.js';
import {
  type FALLBACK_TYPE,
  invoke,
  type Link,
  type Policy,
  RUN,
  type Runnable,
  type Task,
} from './policy.js';

/**
 * Stops calling a failing dependency for a while, then lets a few probe calls through to see
 * whether it recovered. States: `closed` (calls run; the trip policy watches failures), `open`
 * (calls are rejected with `BreakerOpenError` until the reset timeout passes), `half-open` (up
 * to `halfOpenProbes` probe calls run; all succeed → closed, one fails or runs past
 * `probeTimeout` → open again), `isolated` (held open by `isolate()` until `forceClose()`).
 *
 * A call that runs while closed is recorded if the breaker is still closed when it completes; a
 * probe's outcome counts only for the half-open period that admitted it, and only until its
 * `probeTimeout`.
 *
 * `close()` (or `await using`) is the teardown: it clears the breaker's timer. The manual
 * controls are `forceOpen()`, `forceClose()` and `isolate()`.
 *
 * When closed, with no caller signal, no `success`/`failure` listener, no registry and no slow
 * call threshold, `execute` calls `fn` and attaches two pre-bound handlers: no clock read, no
 * timer, no allocation of its own.
 */
export class CircuitBreaker<F = never>
  extends ObservedEmitter<BreakerEvents>
  implements Policy<F>, Runnable
{
  /** The breaker's name, from the options. */
  readonly name: string | undefined;
  declare readonly [FALLBACK_TYPE]?: F;
  readonly #config: BreakerConfig<F>;
  readonly #machine: BreakerStateMachine;
  readonly #metrics: BreakerMetrics | undefined;
  /** Whether every call's duration is needed (metrics or slow calls), listeners aside. */
  readonly #timed: boolean;
  /** No duration needed and no success/failure listener: the fast path applies. */
  #quiet: boolean;

  constructor(options?: CircuitBreakerOptions<F>) {
    super();
    this.#config = breakerConfig(options);
    this.name = this.#config.name;
    const { registry } = this.#config;
    this.#metrics =
      registry === undefined ? undefined : new BreakerMetrics(registry, this.name as string);
    this.#timed = this.#metrics !== undefined || this.#config.slowThreshold !== Infinity;
    this.#quiet = !this.#timed;
    this.#machine = new BreakerStateMachine(this.#config, this.#onTransition);
    if (this.#config.initialState !== undefined) this.#machine.restore(this.#config.initialState);
    this.#metrics?.state.set(BREAKER_STATE_VALUE[this.#machine.state.kind]);
  }

  /** The current state. */
  get state(): BreakerState {
    return this.#machine.state.kind;
  }

  /**
   * Runs `fn` if the breaker lets it through; rejects with `BreakerOpenError` (or answers with
   * the fallback) when it does not. `fn` gets `signal`, or a signal that never aborts.
   */
  execute<T>(fn: Task<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T | F> {
    if (!this.#quiet || signal !== NEVER_ABORTED || this.#machine.state.kind !== 'closed') {
      return this.#run(fn, signal, null) as Promise<T | F>;
    }
    let result: unknown;
    try {
      result = fn(signal);
    } catch (error) {
      return this.#quietFailure(error) as Promise<T | F>;
    }
    const promise = result instanceof Promise ? result : Promise.resolve(result);
    return promise.then(this.#quietSuccess, this.#quietFailure) as Promise<T | F>;
  }

  /** @internal */
  [RUN](fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown> {
    if (!this.#quiet || signal !== NEVER_ABORTED || this.#machine.state.kind !== 'closed') {
      return this.#run(fn, signal, next);
    }
    let result: unknown;
    try {
      result = invoke(fn, signal, next);
    } catch (error) {
      return this.#quietFailure(error);
    }
    const promise = result instanceof Promise ? result : Promise.resolve(result);
    return promise.then(this.#quietSuccess, this.#quietFailure);
  }

  /**
   * Opens the circuit now, as a trip would (reason `'manual'`); it half-opens after the reset
   * timeout. A manual control, not a teardown.
   */
  forceOpen(): void {
    const state = this.#machine.state;
    if (state.kind !== 'open') {
      this.#machine.open('manual', state.kind === 'half-open' ? state.attempt + 1 : 1);
    }
  }

  /**
   * Closes the circuit now, from any state, with an empty window (reason `'manual'`): calls flow
   * again. A manual control, not a teardown: that is `close()`.
   */
  forceClose(): void {
    if (this.#machine.state.kind !== 'closed') this.#machine.close('manual');
  }

  /** Holds the circuit open, rejecting every call, until `forceClose()` (or `forceOpen()`). */
  isolate(): void {
    if (this.#machine.state.kind !== 'isolated') this.#machine.isolate();
  }

  /**
   * Counts a call that the caller ran itself while the breaker was closed, as `execute` would:
   * for a scheduler that reads `state` before it starts work (a job queue keeps its jobs waiting
   * while the breaker is open) and runs many calls, where `execute`'s promise per call is the
   * cost. `duration` (ms) counts for slow calls and the metrics. Does nothing unless closed:
   * half-open probes go through `execute`, which admits them.
   */
  recordSuccess(duration = 0): void {
    if (this.#machine.state.kind !== 'closed') return;
    this.#countSuccess(undefined, this.#quiet ? undefined : duration);
  }

  /**
   * Counts a failed call that the caller ran itself while the breaker was closed, as `execute`
   * would (an error `shouldHandle` rejects does not count). Does nothing unless closed.
   */
  recordFailure(error: unknown, duration = 0): void {
    if (this.#machine.state.kind !== 'closed') return;
    this.#countFailure(undefined, error, NEVER_ABORTED, duration);
  }

  /** The state as plain JSON, for `initialState` (here or in another process). */
  toJSON(): BreakerSnapshot {
    return this.#machine.snapshot();
  }

  /**
   * The teardown: clears the reset or probe timer and starts none again. Idempotent. It does not
   * change the circuit's state and does not break calls: a call made after `close()` (a request
   * still draining at shutdown) is still guarded, the breaker moving on by its `clock` alone (it
   * half-opens on the first call after the reset delay, abandons an overdue probe on the next
   * call). Listeners stay attached; the breaker installed none elsewhere, and its metrics are
   * series of your registry, which keeps them.
   */
  close(): Promise<void> {
    this.#machine.stop();
    return Promise.resolve();
  }

  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  protected listenersChanged(): void {
    this.#quiet =
      !this.#timed && this.listenerCount('success') + this.listenerCount('failure') === 0;
  }

  readonly #quietSuccess = (value: unknown): unknown => {
    this.#machine.recordClosed(false, false);
    return value;
  };

  readonly #quietFailure = (error: unknown): Promise<unknown> => {
    if (!this.#handles(error)) return Promise.reject(error);
    this.#machine.recordClosed(true, false);
    return this.#fallback(error);
  };

  /** Every other case: admission, caller signals, durations, events, metrics. */
  async #run(fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown> {
    if (signal.aborted) throw abortedError(signal);
    let probe: Probe | undefined;
    if (this.#machine.state.kind !== 'closed') {
      probe = this.#machine.admit();
      if (probe === undefined) return this.#reject();
    }
    const start = this.#quiet ? -1 : performance.now();
    let value: unknown;
    try {
      value = await invoke(fn, signal, next);
    } catch (error) {
      return this.#failed(probe, error, signal, start);
    }
    this.#countSuccess(probe, start >= 0 ? performance.now() - start : undefined);
    return value;
  }

  /**
   * Counts a successful call: metrics, events and slow calls when its `duration` was measured
   * (someone needs it), then the trip policy or the probe.
   */
  #countSuccess(probe: Probe | undefined, duration: number | undefined): void {
    let slow = false;
    if (duration !== undefined) {
      slow = duration >= this.#config.slowThreshold;
      if (this.#metrics !== undefined) {
        this.#metrics.success.inc();
        this.#metrics.duration.observe(duration / 1000);
      }
      if (this.listenerCount('success') !== 0) this.#emit('success', { duration });
      if (slow && this.listenerCount('slowCall') !== 0) this.#emit('slowCall', { duration });
    }
    if (probe === undefined) this.#machine.recordClosed(false, slow);
    else this.#machine.recordProbe(probe, slow);
  }

  #failed(
    probe: Probe | undefined,
    error: unknown,
    signal: AbortSignal,
    start: number,
  ): Promise<unknown> {
    const duration = start >= 0 ? performance.now() - start : 0;
    const handled = this.#countFailure(probe, error, signal, duration);
    return handled ? this.#fallback(error) : Promise.reject(error);
  }

  /** Counts a failed call (metrics, events, the trip policy); answers whether it counted. */
  #countFailure(
    probe: Probe | undefined,
    error: unknown,
    signal: AbortSignal,
    duration: number,
  ): boolean {
    const handled = !signal.aborted && this.#handles(error);
    if (this.#metrics !== undefined) {
      const metrics = this.#metrics;
      (!handled ? metrics.ignored : isTimeout(error) ? metrics.timeout : metrics.failure).inc();
      metrics.duration.observe(duration / 1000);
    }
    if (this.listenerCount('failure') !== 0) this.#emit('failure', { error, duration, handled });
    if (!handled) {
      // Neither success nor failure: a half-open probe slot goes back for another call.
      if (probe !== undefined) this.#machine.releaseProbe(probe);
      return false;
    }
    const slow = duration >= this.#config.slowThreshold;
    if (slow && this.listenerCount('slowCall') !== 0) this.#emit('slowCall', { duration });
    if (probe === undefined) this.#machine.recordClosed(true, slow);
    else this.#machine.recordProbe(probe, true);
    return true;
  }

  #reject(): Promise<unknown> {
    const kind = this.#machine.state.kind;
    const error = new BreakerOpenError(
      this.name,
      kind === 'closed' ? 'open' : kind,
      this.#machine.retryAfter(),
    );
    this.#metrics?.rejected.inc();
    if (this.listenerCount('rejected') !== 0) this.#emit('rejected', { error });
    return this.#fallback(error);
  }

  #handles(error: unknown): boolean {
    const shouldHandle = this.#config.shouldHandle;
    if (shouldHandle === undefined) return true;
    try {
      return shouldHandle(error) === true;
    } catch (thrown) {
      // A throwing filter must not hide the call's own error: count it, and say so.
      this.#config.report(thrown, 'shouldHandle');
      return true;
    }
  }

  async #fallback(error: unknown): Promise<unknown> {
    const fallback = this.#config.fallback;
    if (fallback === undefined) throw error;
    this.#metrics?.fallback.inc();
    if (this.listenerCount('fallback') !== 0) this.#emit('fallback', { error });
    return fallback(error);
  }

  readonly #onTransition = (
    from: BreakerState,
    to: State,
    reason: TransitionReason,
    delay: number,
  ): void => {
    this.#metrics?.state.set(BREAKER_STATE_VALUE[to.kind]);
    this.#emit('stateChange', { from, to: to.kind, reason });
    if (to.kind === 'open')
      this.#emit('open', {
        reason,
        attempt: to.attempt,
        retryAfter: delay,
      });
    else if (to.kind === 'half-open') this.#emit('halfOpen');
    else if (to.kind === 'closed') this.#emit('close');
  };

  #emit<K extends keyof BreakerEvents>(event: K, ...args: BreakerEvents[K]): void {
    emitReporting(this, this.#config.report, event, ...args);
  }
}
