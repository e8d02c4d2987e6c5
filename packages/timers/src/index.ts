export { type BindTimerOptions, BoundTimer, bindTimer } from './bound-timer.js';
export { TIMERS_ERROR_CODES, TimersError, type TimersErrorCode } from './errors.js';
export { fingerprintSql } from './fingerprint-sql.js';
export { measure } from './measure.js';
export { type MethodDecorator, methodDecorator } from './method-decorator.js';
export { PerformanceTracker } from './performance-tracker.js';
export { serverTiming } from './server-timing.js';
export { type EndTimer, startTimer } from './start-timer.js';
export { type TimedDecorator, timed } from './timed.js';
export { Timer, timer } from './timer.js';
export { createTimers, TimerGroup, type TimerGroupOptions } from './timer-group.js';
export type { TimedChild, TimedMetric, TimerLabels, TimerTarget } from './timer-target.js';
export {
  currentScope,
  currentTimings,
  type TimingEntry,
  TimingScope,
  type TimingScopeOptions,
  timingScope,
} from './timing-scope.js';
export type { Baseline, BaselinesJSON } from './tracker/baselines.js';
export type { OperationStats } from './tracker/operation-analysis.js';
export type { WindowSummary } from './tracker/operation-state.js';
export type {
  BaselineEvent,
  Bottleneck,
  BottleneckEvent,
  PerformanceEvents,
  Regression,
  RegressionEvent,
  Severity,
} from './tracker/tracker-events.js';
export type { BottleneckThresholds, PerformanceTrackerOptions } from './tracker/tracker-options.js';
export type { Trend } from './tracker/trend.js';
