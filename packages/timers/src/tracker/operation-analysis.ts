import type { Baseline } from './baselines.js';
import type { OperationState, WindowSummary } from './operation-state.js';
import type { Bottleneck, Regression, Severity } from './tracker-events.js';
import type { ResolvedOptions } from './tracker-options.js';
import type { Trend } from './trend.js';

/** Everything the tracker knows about one operation. */
export interface OperationStats {
  readonly operation: string;
  /** Executions recorded, all time. */
  readonly count: number;
  /** Failed executions, all time. */
  readonly errors: number;
  /** Share of successful executions over the recent window (NaN before any). */
  readonly successRate: number;
  /** Durations over the recent window, in seconds. */
  readonly recent: Readonly<WindowSummary>;
  readonly baseline: Baseline | undefined;
  readonly trend: Trend;
  /** The relative slope the trend came from. */
  readonly trendSlope: number;
  /** Present when p50 or p95 since the baseline is past it by more than the threshold. */
  readonly regression: Regression | undefined;
  /** Present when the recent p95 is past a bottleneck threshold. */
  readonly bottleneck: Severity | undefined;
}

/** Summarises, and judges, one operation's recent executions. */
export function analyze(
  operation: string,
  state: OperationState,
  options: ResolvedOptions,
): OperationStats {
  const recent = state.summarize();
  const { trend, slope } = state.trend(options.trendWindows, options.trendThreshold);
  return {
    operation,
    count: state.count,
    errors: state.errors,
    successRate: state.successRate(),
    recent,
    baseline: state.baseline,
    trend,
    trendSlope: slope,
    regression: regressionOf(state, recent, options),
    bottleneck: bottleneckOf(operation, recent, options)?.severity,
  };
}

/**
 * The worst of p50 and p95 over the executions since the baseline (at most a window) when it is
 * past the baseline by more than `regressionThreshold`, after at least `minSamples` of them.
 */
export function regressionOf(
  state: OperationState,
  recent: WindowSummary,
  options: ResolvedOptions,
): Regression | undefined {
  const baseline = state.baseline;
  if (baseline === undefined || state.sinceBaseline < options.minSamples) return undefined;
  const since = state.sinceBaseline >= recent.count ? recent : state.summarize(state.sinceBaseline);
  let worst: Regression | undefined;
  for (const quantile of ['p50', 'p95'] as const) {
    const current = since[quantile];
    const reference = baseline[quantile];
    if (!(current > reference * (1 + options.regressionThreshold))) continue;
    const increase = reference > 0 ? current / reference - 1 : Number.POSITIVE_INFINITY;
    if (worst === undefined || increase > worst.increase) {
      worst = { quantile, baseline: reference, current, increase };
    }
  }
  return worst;
}

/** A bottleneck when the window's p95 is past the operation's thresholds (≥ `minSamples` executions). */
export function bottleneckOf(
  operation: string,
  recent: WindowSummary,
  options: ResolvedOptions,
): Bottleneck | undefined {
  if (recent.count < options.minSamples) return undefined;
  const limits = options.operationThresholds.get(operation) ?? options.bottleneck;
  const p95 = recent.p95;
  if (p95 >= limits.critical) {
    return { operation, severity: 'critical', p95, threshold: limits.critical };
  }
  if (p95 >= limits.warning) {
    return { operation, severity: 'warning', p95, threshold: limits.warning };
  }
  return undefined;
}
