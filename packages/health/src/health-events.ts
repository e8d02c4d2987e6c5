import type { CheckResult } from './check-result.js';
import type { HealthReport, HealthStatus } from './health-report.js';

/** Payload of `statusChange`. */
export interface StatusChangeEvent {
  /** The previous full report's status; `undefined` before the first one. */
  from: HealthStatus | undefined;
  to: HealthStatus;
  report: HealthReport;
}

/** Events of a `HealthMonitor`. */
export interface HealthEvents {
  /** A check finished (in a full or quick run). */
  result: [result: CheckResult];
  /** A run finished (not emitted for reports served from the cache). */
  report: [report: HealthReport];
  /** A full run's status differs from the previous full run's. */
  statusChange: [event: StatusChangeEvent];
  /** The startup probe passes from now on. */
  started: [];
  /** `beginShutdown()` was called: readiness fails from now on. */
  shutdown: [];
}
