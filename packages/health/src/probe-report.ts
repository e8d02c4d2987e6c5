import type { Clock } from '@vigil/core';
import type { MonitorConfig } from './health-monitor-options.js';
import type { HealthReport } from './health-report.js';
import { isoTime } from './run-check.js';

/** The three Kubernetes probes. */
export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** What `monitor.live()`, `monitor.ready()` and `monitor.started()` answer. */
export interface ProbeReport {
  readonly probe: ProbeKind;
  /** `pass` (HTTP 200) or `fail` (HTTP 503). */
  readonly status: 'pass' | 'fail';
  /** Why the probe fails, such as `'shutting down'`; absent when it passes. */
  readonly output?: string;
  /** Seconds since the process started. */
  readonly uptime: number;
  readonly version?: string;
  readonly releaseId?: string;
  readonly serviceId?: string;
  readonly description?: string;
  /** When the probe was answered, ISO 8601. */
  readonly time: string;
  /** The checks the probe looked at (readiness and startup), when it ran or read any. */
  readonly report?: HealthReport;
}

/**
 * Answers probe `probe` of a monitor whose process started at `processStart` (clock ms): passes
 * unless `failure` says why not; carries the `report` it looked at, if any.
 */
export function probeReport(
  config: Pick<MonitorConfig, 'clock' | 'service'>,
  processStart: number,
  probe: ProbeKind,
  failure?: string,
  report?: HealthReport,
): ProbeReport {
  const base = {
    probe,
    status: failure === undefined ? ('pass' as const) : ('fail' as const),
    uptime: uptimeSince(config.clock, processStart),
    ...config.service,
    time: isoTime(config.clock),
  };
  const withOutput = failure === undefined ? base : { ...base, output: failure };
  return report === undefined ? withOutput : { ...withOutput, report };
}

/** Seconds since `processStart`, to the millisecond, never negative. */
export function uptimeSince(clock: Clock, processStart: number): number {
  const seconds = (clock.now() - processStart) / 1000;
  return Math.max(0, Math.round(seconds * 1000) / 1000);
}

/** Names the checks that made a report critical. */
export function criticalOutput(report: HealthReport): string {
  const failing = Object.values(report.checks)
    .filter((check) => check.critical && check.status === 'fail')
    .map((check) => (check.output === undefined ? check.name : `${check.name}: ${check.output}`));
  return failing.length === 0
    ? `the status is ${report.status}`
    : `critical checks fail: ${failing.join('; ')}`;
}
