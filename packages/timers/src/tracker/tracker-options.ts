import { type DurationInput, parseDuration, type Registry } from '@vigil/core';
import { unknownOptionMessage } from '@vigil/core/options';
import { describeValue, TimersError } from '../errors.js';

/** p95 thresholds past which an operation is a bottleneck. */
export interface BottleneckThresholds {
  /** p95 at or above which the severity is `warning`; default `'1s'`. */
  warning?: DurationInput;
  /** p95 at or above which the severity is `critical`; default `'5s'`. */
  critical?: DurationInput;
}

/** Options of `new PerformanceTracker()`. */
export interface PerformanceTrackerOptions {
  /** Executions after which an operation's baseline is built automatically; default 10. */
  baselineSamples?: number;
  /** Recent executions kept per operation (a ring buffer); default 100, at least `baselineSamples` and `minSamples`. */
  windowSize?: number;
  /** Executions since the baseline needed before a regression can be reported; default 10. */
  minSamples?: number;
  /** Relative increase of p50 or p95 over the baseline that is a regression; default 0.1 (10 %). */
  regressionThreshold?: number;
  /** Consecutive windows the recent executions are split into for the trend; default 5. */
  trendWindows?: number;
  /** Relative slope per window past which the trend is degrading / improving; default 0.05. */
  trendThreshold?: number;
  /** Regressions and bottlenecks are checked every this many executions of an operation; default 10. */
  evaluateEvery?: number;
  /** p95 thresholds for bottlenecks; default `{ warning: '1s', critical: '5s' }`. */
  bottleneck?: BottleneckThresholds;
  /** Per-operation bottleneck thresholds, over `bottleneck`. */
  operationThresholds?: Readonly<Record<string, BottleneckThresholds>>;
  /** Most operations tracked. When full, new operations are ignored and counted (never evicted); default 1,000. */
  maxOperations?: number;
  /** Least time between two events of one kind for one operation; default `'1m'`. */
  eventInterval?: DurationInput;
  /** Wall clock in ms (event timestamps, baseline times, `eventInterval`); default `Date`. */
  clock?: { now(): number };
  /** Registry for the `vigil_performance_*` gauges; none by default. */
  registry?: Registry;
}

/** Thresholds in seconds. */
export interface ResolvedThresholds {
  readonly warning: number;
  readonly critical: number;
}

/** Validated options, durations in seconds (thresholds) or ms (eventInterval). */
export interface ResolvedOptions {
  readonly baselineSamples: number;
  readonly windowSize: number;
  readonly minSamples: number;
  readonly regressionThreshold: number;
  readonly trendWindows: number;
  readonly trendThreshold: number;
  readonly evaluateEvery: number;
  readonly bottleneck: ResolvedThresholds;
  readonly operationThresholds: ReadonlyMap<string, ResolvedThresholds>;
  readonly maxOperations: number;
  readonly eventIntervalMs: number;
  readonly clock: { now(): number };
  readonly registry: Registry | undefined;
}

const KNOWN = [
  'baselineSamples',
  'windowSize',
  'minSamples',
  'regressionThreshold',
  'trendWindows',
  'trendThreshold',
  'evaluateEvery',
  'bottleneck',
  'operationThresholds',
  'maxOperations',
  'eventInterval',
  'clock',
  'registry',
];

/** Checks every option once, at construction. */
export function resolveOptions(options: PerformanceTrackerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid(`options should be an object, got ${describeValue(options)}`);
  }
  const unknown = unknownOptionMessage(options, KNOWN);
  if (unknown !== undefined) throw invalid(unknown);
  const baselineSamples = integer(options, 'baselineSamples', 10, 1);
  const minSamples = integer(options, 'minSamples', 10, 1);
  const floor = Math.max(baselineSamples, minSamples, 2);
  const windowSize = integer(options, 'windowSize', Math.max(100, floor), floor);
  const trendWindows = integer(options, 'trendWindows', 5, 2);
  const clock = options.clock ?? { now: () => Date.now() };
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
    throw invalid(
      `clock should be an object with now(): number, got ${describeValue(options.clock)}`,
    );
  }
  const registry = options.registry;
  if (
    registry !== undefined &&
    (typeof registry !== 'object' || registry === null || typeof registry.gauge !== 'function')
  ) {
    throw invalid(`registry should be a Registry from @vigil/core, got ${describeValue(registry)}`);
  }
  const operationThresholds = new Map<string, ResolvedThresholds>();
  const bottleneck = thresholds(options.bottleneck, 'bottleneck', { warning: 1, critical: 5 });
  const overrides = options.operationThresholds ?? {};
  if (typeof overrides !== 'object' || overrides === null) {
    throw invalid(
      `operationThresholds should be an object keyed by operation, got ${describeValue(overrides)}`,
    );
  }
  for (const [operation, value] of Object.entries(overrides)) {
    operationThresholds.set(
      operation,
      thresholds(value, `operationThresholds[${JSON.stringify(operation)}]`, bottleneck),
    );
  }
  return {
    baselineSamples,
    windowSize,
    minSamples,
    regressionThreshold: positive(options, 'regressionThreshold', 0.1),
    trendWindows,
    trendThreshold: positive(options, 'trendThreshold', 0.05),
    evaluateEvery: integer(options, 'evaluateEvery', 10, 1),
    bottleneck,
    operationThresholds,
    maxOperations: integer(options, 'maxOperations', 1000, 1),
    eventIntervalMs: parseDuration(
      options.eventInterval ?? '1m',
      'PerformanceTracker: eventInterval',
    ),
    clock,
    registry,
  };
}

function integer(
  options: PerformanceTrackerOptions,
  field: keyof PerformanceTrackerOptions,
  fallback: number,
  min: number,
): number {
  const value = options[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(`${field} should be an integer ≥ ${min}, got ${describeValue(options[field])}`);
  }
  return value;
}

function positive(
  options: PerformanceTrackerOptions,
  field: keyof PerformanceTrackerOptions,
  fallback: number,
): number {
  const value = options[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalid(
      `${field} should be a positive number (0.1 = 10 %), got ${describeValue(options[field])}`,
    );
  }
  return value;
}

function thresholds(
  value: BottleneckThresholds | undefined,
  field: string,
  defaults: ResolvedThresholds,
): ResolvedThresholds {
  if (value === undefined) return defaults;
  if (typeof value !== 'object' || value === null) {
    throw invalid(
      `${field} should be an object { warning, critical } of durations, got ${describeValue(value)}`,
    );
  }
  const warning =
    value.warning === undefined
      ? defaults.warning
      : parseDuration(value.warning, `PerformanceTracker: ${field}.warning`) / 1000;
  const critical =
    value.critical === undefined
      ? defaults.critical
      : parseDuration(value.critical, `PerformanceTracker: ${field}.critical`) / 1000;
  if (warning > critical) {
    throw invalid(
      `${field}.warning should be at most critical (${critical * 1000} ms), got ${warning * 1000} ms`,
    );
  }
  return { warning, critical };
}

function invalid(message: string): TimersError {
  return new TimersError('TIMERS_INVALID_OPTION', `PerformanceTracker: ${message}`);
}
