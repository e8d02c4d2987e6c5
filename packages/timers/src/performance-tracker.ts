import { type BackgroundErrorReporter, backgroundErrorReporter } from '@vigil/core';
import { EventEmitter } from 'eventemitter3';
import {
  BASELINES_VERSION,
  type Baseline,
  type BaselinesJSON,
  parseBaselines,
} from './tracker/baselines.js';
import { analyze, bottleneckOf, type OperationStats } from './tracker/operation-analysis.js';
import { OperationState } from './tracker/operation-state.js';
import type { Bottleneck, PerformanceEvents } from './tracker/tracker-events.js';
import { TrackerGauges } from './tracker/tracker-gauges.js';
import {
  type PerformanceTrackerOptions,
  type ResolvedOptions,
  resolveOptions,
} from './tracker/tracker-options.js';

/**
 * Tracks operations' durations: builds a baseline per operation from its first executions,
 * detects regressions against it, follows the trend, finds bottlenecks and the slowest
 * operations. Memory is bounded: a ring buffer per operation and at most `maxOperations`
 * operations (new ones past the cap are ignored and counted). It starts no timers; a listener
 * that throws goes to `onError`, never into `record()`. `close()` (or `await using`) stops it.
 */
export class PerformanceTracker extends EventEmitter<PerformanceEvents> implements AsyncDisposable {
  readonly #options: ResolvedOptions;
  readonly #operations = new Map<string, OperationState>();
  readonly #scratch: Float64Array;
  readonly #gauges: TrackerGauges | undefined;
  readonly #report: BackgroundErrorReporter;
  #ignored = 0;
  #closed = false;

  /** @throws ConfigurationError `INVALID_OPTION` or `INVALID_DURATION` for a bad option. */
  constructor(options?: PerformanceTrackerOptions) {
    super();
    this.#options = resolveOptions(options);
    this.#report = backgroundErrorReporter('PerformanceTracker', this.#options.onError);
    this.#scratch = new Float64Array(this.#options.windowSize);
    const registry = this.#options.registry;
    this.#gauges =
      registry === undefined ? undefined : new TrackerGauges(registry, this.#options.maxOperations);
  }

  /** Names of the tracked operations. */
  get operations(): string[] {
    return [...this.#operations.keys()];
  }

  /** Executions ignored because `maxOperations` operations were already tracked. */
  get ignoredExecutions(): number {
    return this.#ignored;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Records one execution of `operation` that took `seconds`. Returns false (and records
   * nothing) for a bad operation name or duration, a new operation past `maxOperations`, or
   * after `close()`.
   */
  record(operation: string, seconds: number, ok = true): boolean {
    if (
      this.#closed ||
      typeof operation !== 'string' ||
      operation === '' ||
      typeof seconds !== 'number' ||
      !(seconds >= 0 && seconds < Number.POSITIVE_INFINITY)
    ) {
      return false;
    }
    const state = this.#stateOf(operation, true);
    if (state === undefined) return false;
    state.record(seconds, ok !== false);
    if (state.baseline === undefined && state.towardBaseline >= this.#options.baselineSamples) {
      this.#buildBaseline(operation, state);
    } else if (state.count % this.#options.evaluateEvery === 0 && this.#due(state)) {
      this.#evaluate(operation, state);
    }
    return true;
  }

  /**
   * Times `fn` (sync or async) and records it under `operation`; returns or rethrows as `fn`
   * does. After `close()` it still runs `fn`, and records nothing.
   */
  measure<T>(operation: string, fn: () => T): T {
    const start = performance.now();
    const done = (ok: boolean): void => {
      this.record(operation, (performance.now() - start) / 1000, ok);
    };
    let result: T;
    try {
      result = fn();
    } catch (error) {
      done(false);
      throw error;
    }
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      return (result as PromiseLike<unknown>).then(
        (value) => {
          done(true);
          return value;
        },
        (error: unknown) => {
          done(false);
          throw error;
        },
      ) as T;
    }
    done(true);
    return result;
  }

  /** Statistics of one operation, or undefined when it is not tracked. */
  stats(operation: string): OperationStats | undefined {
    const state = this.#operations.get(operation);
    return state === undefined ? undefined : analyze(operation, state, this.#options);
  }

  /** Statistics of every tracked operation. */
  report(): OperationStats[] {
    return [...this.#operations].map(([operation, state]) =>
      analyze(operation, state, this.#options),
    );
  }

  /** The `n` operations with the highest recent p95, slowest first. */
  slowest(n = 10): OperationStats[] {
    return this.report()
      .filter((stats) => stats.recent.count > 0)
      .sort((a, b) => b.recent.p95 - a.recent.p95)
      .slice(0, Math.max(0, n));
  }

  /** Operations whose recent p95 is past a threshold: critical first, then by p95. */
  bottlenecks(): Bottleneck[] {
    const found: Bottleneck[] = [];
    for (const [operation, state] of this.#operations) {
      const bottleneck = bottleneckOf(operation, state.summarize(), this.#options);
      if (bottleneck !== undefined) found.push(bottleneck);
    }
    return found.sort((a, b) =>
      a.severity === b.severity ? b.p95 - a.p95 : a.severity === 'critical' ? -1 : 1,
    );
  }

  /** The baseline of `operation`, or undefined while it is being built. */
  baseline(operation: string): Baseline | undefined {
    return this.#operations.get(operation)?.baseline;
  }

  /** Drops the baseline of `operation`; its next `baselineSamples` executions build a new one. */
  resetBaseline(operation: string): boolean {
    const state = this.#operations.get(operation);
    if (state === undefined) return false;
    state.resetBaseline();
    return true;
  }

  /** Stops tracking `operation` (its slot is free again) and removes its gauges. */
  forget(operation: string): boolean {
    const removed = this.#operations.delete(operation);
    if (removed) this.#gauges?.remove(operation);
    return removed;
  }

  /** Every baseline as plain JSON, for storage. */
  exportBaselines(): BaselinesJSON {
    const baselines: Record<string, Baseline> = {};
    for (const [operation, state] of this.#operations) {
      if (state.baseline !== undefined) baselines[operation] = { ...state.baseline };
    }
    return { version: BASELINES_VERSION, baselines };
  }

  /**
   * Restores baselines from `exportBaselines()` output (an object or JSON text): each operation
   * in it gets that baseline (replacing its current one), and its regression checks start over
   * from there. All or nothing: the whole input is validated first. New operations past
   * `maxOperations` are skipped. Returns how many baselines were imported.
   *
   * @throws TimersError `TIMERS_INVALID_BASELINES` when the input is malformed.
   */
  importBaselines(input: BaselinesJSON | string): number {
    let imported = 0;
    for (const [operation, baseline] of parseBaselines(input)) {
      const state = this.#stateOf(operation, false);
      if (state === undefined) continue;
      state.baseline = Object.freeze({ ...baseline });
      state.sinceBaseline = 0;
      if (!this.#closed) this.#gauges?.setBaseline(operation, baseline);
      imported++;
    }
    return imported;
  }

  /**
   * The teardown: the tracker stops tracking (`record()` returns false, `measure()` runs its
   * function without recording, no more events), its listeners are removed and its per-operation
   * gauges leave the registry, so that a closed tracker's last values are not scraped forever.
   * Its statistics, baselines and `exportBaselines()` stay readable. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.removeAllListeners();
      if (this.#gauges !== undefined) {
        for (const operation of this.#operations.keys()) this.#gauges.remove(operation);
      }
    }
    return Promise.resolve();
  }

  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #stateOf(operation: string, counting: boolean): OperationState | undefined {
    let state = this.#operations.get(operation);
    if (state !== undefined) return state;
    if (this.#operations.size >= this.#options.maxOperations) {
      if (counting) {
        this.#ignored++;
        this.#gauges?.ignored();
      }
      return undefined;
    }
    state = new OperationState(this.#options.windowSize, this.#scratch);
    this.#operations.set(operation, state);
    return state;
  }

  #buildBaseline(operation: string, state: OperationState): void {
    const summary = state.summarize(this.#options.baselineSamples);
    const baseline: Baseline = Object.freeze({
      p50: summary.p50,
      p95: summary.p95,
      mean: summary.mean,
      samples: summary.count,
      createdAt: this.#options.clock.now(),
    });
    state.baseline = baseline;
    state.sinceBaseline = 0;
    this.#gauges?.setBaseline(operation, baseline);
    this.#emit('baseline', { operation, baseline, timestamp: baseline.createdAt });
  }

  /** Whether `evaluateInterval` has passed since the operation was last evaluated. */
  #due(state: OperationState): boolean {
    const interval = this.#options.evaluateIntervalMs;
    if (interval === 0) return true;
    const now = this.#options.clock.now();
    if (now - state.lastEvaluated < interval) return false;
    state.lastEvaluated = now;
    return true;
  }

  #evaluate(operation: string, state: OperationState): void {
    const stats = analyze(operation, state, this.#options);
    const now = this.#options.clock.now();
    const interval = this.#options.eventIntervalMs;
    if (stats.regression !== undefined && now - state.lastEvent.regression >= interval) {
      state.lastEvent.regression = now;
      this.#emit('regression', {
        operation,
        ...stats.regression,
        threshold: this.#options.regressionThreshold,
        timestamp: now,
      });
    }
    const bottleneck =
      stats.bottleneck === undefined
        ? undefined
        : bottleneckOf(operation, stats.recent, this.#options);
    if (bottleneck !== undefined && now - state.lastEvent.bottleneck >= interval) {
      state.lastEvent.bottleneck = now;
      this.#emit('bottleneck', { ...bottleneck, timestamp: now });
    }
    this.#gauges?.update(operation, {
      recent: stats.recent,
      successRate: stats.successRate,
      trend: stats.trend,
      regressed: stats.regression !== undefined,
      severity: stats.bottleneck ?? 'none',
    });
  }

  // A throwing listener must not break the caller's record(): it goes to onError instead.
  #emit<E extends keyof PerformanceEvents>(event: E, ...args: PerformanceEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: PerformanceEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      this.#report(error, `'${event}' listener`);
    }
  }
}
