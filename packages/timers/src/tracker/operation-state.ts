import type { Baseline } from './baselines.js';
import { percentile } from './percentile.js';
import { RingBuffer } from './ring-buffer.js';
import { type TrendResult, trendOf } from './trend.js';

/** Percentiles of a run of durations, in seconds. */
export interface WindowSummary {
  count: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * One operation's bounded state: the recent durations and outcomes in ring buffers, all-time
 * counts, and its baseline. Sorting happens in a scratch array shared by every operation of a
 * tracker, so summarising allocates only the result.
 */
export class OperationState {
  readonly durations: RingBuffer;
  readonly #outcomes: RingBuffer;
  readonly #scratch: Float64Array;
  count = 0;
  errors = 0;
  #windowErrors = 0;
  baseline: Baseline | undefined;
  /** Executions recorded since the baseline was set (for regression checks). */
  sinceBaseline = 0;
  /** Executions collected toward a baseline being built. */
  towardBaseline = 0;
  /** When each kind of event was last emitted (tracker clock), for `eventInterval`. */
  lastEvent = { regression: Number.NEGATIVE_INFINITY, bottleneck: Number.NEGATIVE_INFINITY };
  /** When the operation was last evaluated, for `evaluateInterval`. */
  lastEvaluated = Number.NEGATIVE_INFINITY;

  constructor(windowSize: number, scratch: Float64Array) {
    this.durations = new RingBuffer(windowSize);
    this.#outcomes = new RingBuffer(windowSize);
    this.#scratch = scratch;
  }

  /** Adds one execution. */
  record(seconds: number, ok: boolean): void {
    this.count++;
    if (!ok) this.errors++;
    this.durations.push(seconds);
    const evicted = this.#outcomes.push(ok ? 1 : 0);
    if (!ok) this.#windowErrors++;
    if (evicted === 0) this.#windowErrors--;
    this.sinceBaseline++;
    this.towardBaseline++;
  }

  /** Share of successful executions in the window; NaN when empty. */
  successRate(): number {
    const size = this.#outcomes.size;
    return size === 0 ? Number.NaN : (size - this.#windowErrors) / size;
  }

  /** Summary of the newest `count` durations (all in the window by default). */
  summarize(count = this.durations.size): WindowSummary {
    const scratch = this.#scratch;
    const n = this.durations.copyNewest(scratch, count);
    let total = 0;
    for (let i = 0; i < n; i++) total += scratch[i] as number;
    const sorted = scratch.subarray(0, n).sort();
    return {
      count: n,
      mean: n === 0 ? Number.NaN : total / n,
      min: n === 0 ? Number.NaN : (sorted[0] as number),
      max: n === 0 ? Number.NaN : (sorted[n - 1] as number),
      p50: percentile(sorted, n, 0.5),
      p95: percentile(sorted, n, 0.95),
      p99: percentile(sorted, n, 0.99),
    };
  }

  /** Trend of the window's durations. */
  trend(windows: number, threshold: number): TrendResult {
    const n = this.durations.copyNewest(this.#scratch);
    return trendOf(this.#scratch, n, windows, threshold);
  }

  /** Clears the state a reset forgets: the baseline and the counters toward one. */
  resetBaseline(): void {
    this.baseline = undefined;
    this.sinceBaseline = 0;
    this.towardBaseline = 0;
  }
}
