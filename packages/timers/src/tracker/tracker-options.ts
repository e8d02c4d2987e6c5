import {
  type Clock,
  type DurationInput,
  type OnError,
  type Registry,
  systemClock,
} from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalOnError,
  optionalRegistry,
} from '@vigil/core/options';

/** p95 thresholds past which an operation is a bottleneck. */
export interface BottleneckThresholds {
  /** p95 at or above which the severity is `warning`; default `'1s'`. */
  warning?: DurationInput | undefined;
  /** p95 at or above which the severity is `critical`; default `'5s'`. */
  critical?: DurationInput | undefined;
}

/** Options of `new PerformanceTracker()`. */
export interface PerformanceTrackerOptions {
  /** Executions after which an operation's baseline is built automatically; default 10. */
  baselineSamples?: number | undefined;
  /** Recent executions kept per operation (a ring buffer); default 100, at least `baselineSamples` and `minSamples`. */
  windowSize?: number | undefined;
  /** Executions since the baseline needed before a regression can be reported; default 10. */
  minSamples?: number | undefined;
  /** Relative increase of p50 or p95 over the baseline that is a regression; default 0.1 (10 %). */
  regressionThreshold?: number | undefined;
  /** Consecutive windows the recent executions are split into for the trend; default 5. */
  trendWindows?: number | undefined;
  /** Relative slope per window past which the trend is degrading / improving; default 0.05. */
  trendThreshold?: number | undefined;
  /** Regressions and bottlenecks are checked every this many executions of an operation; default 10. */
  evaluateEvery?: number | undefined;
  /**
   * And at most once per this long per operation (on `clock`), for operations recorded
   * thousands of times a second, where each check re-sorts the window. Default `0`: every
   * `evaluateEvery` executions.
   */
  evaluateInterval?: DurationInput | undefined;
  /** p95 thresholds for bottlenecks; default `{ warning: '1s', critical: '5s' }`. */
  bottleneck?: BottleneckThresholds | undefined;
  /** Per-operation bottleneck thresholds, over `bottleneck`. */
  operationThresholds?: Readonly<Record<string, BottleneckThresholds>> | undefined;
  /** Most operations tracked. When full, new operations are ignored and counted (never evicted); default 1,000. */
  maxOperations?: number | undefined;
  /** Least time between two events of one kind for one operation; default `'1m'`. */
  eventInterval?: DurationInput | undefined;
  /** Wall clock in ms (event timestamps, baseline times, `eventInterval`); default `Date.now()`. */
  clock?: Clock | undefined;
  /** Registry for the `vigil_performance_*` gauges; none by default. */
  registry?: Registry | undefined;
  /**
   * Told when a `baseline`, `regression` or `bottleneck` listener throws (the failure is never
   * thrown into `record()`), as `onError(error, { source: 'PerformanceTracker', operation })`.
   * Default: one `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) per event.
   */
  onError?: OnError | undefined;
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
  readonly evaluateIntervalMs: number;
  readonly bottleneck: ResolvedThresholds;
  readonly operationThresholds: ReadonlyMap<string, ResolvedThresholds>;
  readonly maxOperations: number;
  readonly eventIntervalMs: number;
  readonly clock: Clock;
  readonly registry: Registry | undefined;
  readonly onError: OnError | undefined;
}

const OWNER = 'PerformanceTracker';
const KNOWN = [
  'baselineSamples',
  'windowSize',
  'minSamples',
  'regressionThreshold',
  'trendWindows',
  'trendThreshold',
  'evaluateEvery',
  'evaluateInterval',
  'bottleneck',
  'operationThresholds',
  'maxOperations',
  'eventInterval',
  'clock',
  'registry',
  'onError',
] as const;
const THRESHOLD_KEYS = ['warning', 'critical'] as const;

/** Checks every option once, at construction; throws core's `ConfigurationError` naming the bad one. */
export function resolveOptions(input: PerformanceTrackerOptions | undefined): ResolvedOptions {
  const options = checkOptionsObject(OWNER, input, KNOWN);
  const baselineSamples = integer(options, 'baselineSamples', 10, 1);
  const minSamples = integer(options, 'minSamples', 10, 1);
  const floor = Math.max(baselineSamples, minSamples, 2);
  const windowSize = integer(options, 'windowSize', Math.max(100, floor), floor);
  const bottleneck = thresholds(options['bottleneck'], 'bottleneck', { warning: 1, critical: 5 });
  return {
    baselineSamples,
    windowSize,
    minSamples,
    regressionThreshold: positive(options, 'regressionThreshold', 0.1),
    trendWindows: integer(options, 'trendWindows', 5, 2),
    trendThreshold: positive(options, 'trendThreshold', 0.05),
    evaluateEvery: integer(options, 'evaluateEvery', 10, 1),
    evaluateIntervalMs:
      optionalDuration(OWNER, 'evaluateInterval', options['evaluateInterval'], {
        max: Number.MAX_SAFE_INTEGER,
      }) ?? 0,
    bottleneck,
    operationThresholds: operationThresholds(options['operationThresholds'], bottleneck),
    maxOperations: integer(options, 'maxOperations', 1000, 1),
    eventIntervalMs:
      optionalDuration(OWNER, 'eventInterval', options['eventInterval'], {
        max: Number.MAX_SAFE_INTEGER,
      }) ?? 60_000,
    clock: optionalClock(OWNER, 'clock', options['clock']) ?? systemClock,
    registry: optionalRegistry<Registry>(OWNER, 'registry', options['registry']),
    onError: optionalOnError(OWNER, 'onError', options['onError']),
  };
}

type Fields = Readonly<Record<string, unknown>>;

function integer(options: Fields, field: string, fallback: number, min: number): number {
  return optionalInteger(OWNER, field, options[field], { min }) ?? fallback;
}

// Core's checks have no strictly positive number (0 excluded): said here in the same words.
function positive(options: Fields, field: string, fallback: number): number {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(
      OWNER,
      `${field} should be a positive number (0.1 = 10 %), got ${describeValue(value)}`,
    );
  }
  return value;
}

function operationThresholds(
  value: unknown,
  defaults: ResolvedThresholds,
): ReadonlyMap<string, ResolvedThresholds> {
  const resolved = new Map<string, ResolvedThresholds>();
  if (value === undefined) return resolved;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      OWNER,
      `operationThresholds should be an object keyed by operation, such as { report: { warning: '5s' } }, got ${describeValue(value)}`,
    );
  }
  for (const [operation, thresholdsOf] of Object.entries(value)) {
    const field = `operationThresholds[${JSON.stringify(operation)}]`;
    resolved.set(operation, thresholds(thresholdsOf, field, defaults));
  }
  return resolved;
}

function thresholds(
  value: unknown,
  field: string,
  defaults: ResolvedThresholds,
): ResolvedThresholds {
  if (value === undefined) return defaults;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      OWNER,
      `${field} should be an object { warning, critical } of durations, got ${describeValue(value)}`,
    );
  }
  const fields = checkOptionsObject(`${OWNER} ${field}`, value, THRESHOLD_KEYS);
  const seconds = (key: 'warning' | 'critical'): number => {
    const ms = optionalDuration(OWNER, `${field}.${key}`, fields[key], {
      max: Number.MAX_SAFE_INTEGER,
    });
    return ms === undefined ? defaults[key] : ms / 1000;
  };
  const warning = seconds('warning');
  const critical = seconds('critical');
  if (warning > critical) {
    throw invalidOption(
      OWNER,
      `${field}.warning should be at most critical (${critical * 1000} ms), got ${warning * 1000} ms`,
    );
  }
  return { warning, critical };
}
