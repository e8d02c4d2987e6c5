import type { HealthReport } from './health-report.js';

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
