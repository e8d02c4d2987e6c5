import type { CheckResult } from './check-result.js';

/**
 * The service's health: `healthy` (every check passes), `degraded` (a check warns, or a
 * non-critical check fails) or `critical` (a critical check fails).
 */
export type HealthStatus = 'healthy' | 'degraded' | 'critical';

/** What `monitor.check()` answers. */
export interface HealthReport {
  readonly status: HealthStatus;
  /** 0–100: the weighted share of passing checks (a warning counts half). */
  readonly score: number;
  /** Every check that ran, by name. */
  readonly checks: Readonly<Record<string, CheckResult>>;
  /** Seconds since the process started. */
  readonly uptime: number;
  /** The monitor's `version` option. */
  readonly version?: string;
  /** The monitor's `releaseId` option. */
  readonly releaseId?: string;
  /** The monitor's `serviceId` option. */
  readonly serviceId?: string;
  /** The monitor's `description` option. */
  readonly description?: string;
  /** When the checks finished, ISO 8601. */
  readonly time: string;
  /** Whether only the checks marked `quick` ran. */
  readonly quick: boolean;
  /** Whether the report was served from the cache (`cacheFor`) rather than run for this call. */
  readonly cached: boolean;
}

const CREDIT = { pass: 1, warn: 0.5, fail: 0 } as const;

/**
 * @internal The status and score of a set of results: any critical `fail` → `critical`, any
 * other `fail` or `warn` → `degraded`; the score is the weighted share of pass (1), warn (0.5)
 * and fail (0), rounded to an integer; 100 when no check has weight.
 */
export function summarize(results: readonly CheckResult[]): {
  status: HealthStatus;
  score: number;
} {
  let status: HealthStatus = 'healthy';
  let total = 0;
  let earned = 0;
  for (const result of results) {
    total += result.weight;
    earned += result.weight * CREDIT[result.status];
    if (result.status === 'fail' && result.critical) status = 'critical';
    else if (result.status !== 'pass' && status === 'healthy') status = 'degraded';
  }
  return { status, score: total === 0 ? 100 : Math.round((earned / total) * 100) };
}
