import { describeValue, invalidOption } from '@vigil/core/options';
import type { JobRunner } from './job-runner.js';
import {
  type JobsCheckConfig,
  type JobsHealthCheckOptions,
  jobsCheckConfig,
} from './jobs-health-check-options.js';
import type { TypeStats } from './type-stats.js';

/** A reading in `details`: `@vigil/health`'s `ObservedValue`. */
export type JobsObservedValue = number | string | boolean | null;

/** What the check's `run` answers: `@vigil/health`'s `CheckOutcome`. */
export interface JobsCheckOutcome {
  status: 'pass' | 'warn' | 'fail';
  /** Why it warns or fails: each type's findings, the failing ones first. */
  output?: string;
  /** Per type, `<type>.<reading>`: queued, waiting, running, overdue, failureRate, … */
  details?: Readonly<Record<string, JobsObservedValue>>;
}

/**
 * The check `jobsHealthCheck()` returns: a `HealthCheck` of `@vigil/health` (give it to
 * `HealthMonitor`'s `checks`), declared here so that `@vigil/jobs` does not depend on it.
 */
export interface JobsHealthCheck {
  readonly name: string;
  readonly component?: string;
  readonly measurement?: string;
  readonly componentType?: string;
  readonly critical?: boolean;
  readonly weight?: number;
  readonly quick?: boolean;
  readonly timeout?: number;
  run(): JobsCheckOutcome;
}

/** What the check reads from a runner (`backend`: whether a shared queue reaches its server). */
export type JobsStatsSource = Pick<JobRunner, 'stats'> & Partial<Pick<JobRunner, 'backend'>>;

interface Finding {
  readonly status: 'warn' | 'fail';
  readonly text: string;
}

/**
 * A health check of a job runner, per type: stuck attempts (overdue past `timeout +
 * stuckMargin`, or running longer than `stuckAfter` for a type without a timeout), the recent
 * failure rate (judged over at least `minAttempts` attempts), the backlog of jobs waiting to
 * run, and an open circuit breaker. The worst finding decides; `output` names each type and
 * why. Named `'jobs'`, non-critical and quick by default.
 *
 * ```ts
 * new HealthMonitor({ checks: [jobsHealthCheck(jobs, { backlog: { warn: 500 } })] });
 * ```
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION`) for a bad option.
 */
export function jobsHealthCheck(
  runner: JobsStatsSource,
  options?: JobsHealthCheckOptions,
): JobsHealthCheck {
  const config = jobsCheckConfig(options);
  if (typeof runner !== 'object' || runner === null || typeof runner.stats !== 'function') {
    throw invalidOption(
      'jobsHealthCheck',
      `runner should be a JobRunner (with stats()), got ${describeValue(runner)}`,
    );
  }
  const run = (): JobsCheckOutcome => judgeRunner(runner.stats(), config, runner.backend);
  return { ...config.common, run };
}

function judgeRunner(
  stats: Record<string, TypeStats>,
  config: JobsCheckConfig,
  backend: JobRunner['backend'] | undefined,
): JobsCheckOutcome {
  const failing: string[] = [];
  const warning: string[] = [];
  const details: Record<string, JobsObservedValue> = {};
  if (backend !== undefined && !backend.up) {
    // A shared queue that cannot reach its server: nothing is taken, nothing can be submitted.
    details['backend.up'] = false;
    failing.push(`${backend.name} backend unreachable: ${clip(backend.error ?? 'no connection')}`);
  }
  for (const [type, s] of Object.entries(stats)) {
    const recentAttempts = s.recentAttempts;
    const waiting = s.queued - s.delayed;
    details[`${type}.queued`] = s.queued;
    details[`${type}.waiting`] = waiting;
    details[`${type}.running`] = s.running;
    details[`${type}.overdue`] = s.overdue;
    details[`${type}.longestRunning`] = s.longestRunning;
    details[`${type}.failureRate`] = Math.round(s.failureRate * 10_000) / 10_000;
    details[`${type}.recentAttempts`] = recentAttempts;
    details[`${type}.deadLettered`] = s.deadLettered;
    if (s.breaker !== undefined) details[`${type}.breaker`] = s.breaker;
    for (const finding of judgeType(s, waiting, recentAttempts, config)) {
      (finding.status === 'fail' ? failing : warning).push(`${type}: ${finding.text}`);
    }
  }
  const status = failing.length > 0 ? 'fail' : warning.length > 0 ? 'warn' : 'pass';
  const outcome: JobsCheckOutcome = { status, details };
  if (status !== 'pass') outcome.output = [...failing, ...warning].join('; ');
  return outcome;
}

function judgeType(
  s: TypeStats,
  waiting: number,
  recentAttempts: number,
  config: JobsCheckConfig,
): Finding[] {
  const findings: Finding[] = [];
  const stuck = stuckFinding(s, config);
  if (stuck !== undefined) findings.push(stuck);
  const { failureRate, backlog } = config;
  if (recentAttempts >= config.minAttempts && s.failureRate > failureRate.warn) {
    const over = s.failureRate > failureRate.fail ? 'fail' : 'warn';
    const lastError = s.lastError === undefined ? '' : `; last error: ${clip(s.lastError.message)}`;
    findings.push({
      status: over,
      text: `${percent(s.failureRate)} of the last ${recentAttempts} attempts failed (${over} above ${percent(failureRate[over])})${lastError}`,
    });
  }
  if (waiting > backlog.warn) {
    const over = waiting > backlog.fail ? 'fail' : 'warn';
    findings.push({
      status: over,
      text: `${waiting} jobs waiting to run (${over} above ${backlog[over]})`,
    });
  }
  if (s.breaker !== undefined && s.breaker !== 'closed') {
    findings.push({
      status: 'warn',
      text: `circuit breaker ${s.breaker}: its jobs wait until it closes`,
    });
  }
  return findings;
}

/**
 * Stuck attempts. `stats()` gives the overdue count and the longest running time, not each
 * attempt's: with a timeout, the overdue attempts are reported once the longest of them has run
 * past `timeout + stuckMargin`; they fail the check when they hold every concurrency slot.
 */
function stuckFinding(s: TypeStats, config: JobsCheckConfig): Finding | undefined {
  if (s.timeout === undefined) {
    if (s.longestRunning <= config.stuckAfter) return undefined;
    return {
      status: 'warn',
      text: `a job has been running for ${duration(s.longestRunning)}, longer than ${duration(config.stuckAfter)} (stuckAfter; the type has no timeout)`,
    };
  }
  const limit = s.timeout + config.stuckMargin;
  if (s.longestRunning <= limit) return undefined;
  const count = Math.max(s.overdue, 1);
  const all = count >= s.concurrency;
  const jobs = count === 1 ? '1 stuck job' : `${count} stuck jobs`;
  return {
    status: all ? 'fail' : 'warn',
    text: `${jobs} (past the ${duration(s.timeout)} timeout, handler still running; the longest for ${duration(s.longestRunning)}, over timeout + ${duration(config.stuckMargin)} margin)${all ? `, holding all ${s.concurrency} of its concurrency slots` : ''}`,
  };
}

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

function clip(message: string): string {
  return message.length > 120 ? `${message.slice(0, 119)}…` : message;
}

/** `850 ms`, `42s`, `1m 35s`, `2h 5m`. */
function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
}
