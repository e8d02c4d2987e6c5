import type { Baseline } from './baselines.js';

/** How bad a bottleneck is. */
export type Severity = 'warning' | 'critical';

/** A recent quantile past its baseline by more than the threshold. */
export interface Regression {
  /** The quantile that regressed most. */
  readonly quantile: 'p50' | 'p95';
  /** Its baseline value, in seconds. */
  readonly baseline: number;
  /** Its value over the executions since the baseline (at most a window), in seconds. */
  readonly current: number;
  /** `current / baseline - 1` (0.25 = 25 % slower; Infinity over a zero baseline). */
  readonly increase: number;
}

/** An operation whose recent p95 is past a bottleneck threshold. */
export interface Bottleneck {
  readonly operation: string;
  readonly severity: Severity;
  /** Recent p95, in seconds. */
  readonly p95: number;
  /** The threshold it passed, in seconds. */
  readonly threshold: number;
}

/** Payload of `baseline`: an operation's baseline was built from its first executions. */
export interface BaselineEvent {
  readonly operation: string;
  readonly baseline: Baseline;
  readonly timestamp: number;
}

/** Payload of `regression`. */
export interface RegressionEvent extends Regression {
  readonly operation: string;
  /** The tracker's `regressionThreshold`. */
  readonly threshold: number;
  readonly timestamp: number;
}

/** Payload of `bottleneck`. */
export interface BottleneckEvent extends Bottleneck {
  readonly timestamp: number;
}

/** Events a `PerformanceTracker` emits (each at most once per `eventInterval` per operation). */
export interface PerformanceEvents {
  baseline: [event: BaselineEvent];
  regression: [event: RegressionEvent];
  bottleneck: [event: BottleneckEvent];
}
