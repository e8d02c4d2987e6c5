import type { BreakerState } from '@vigil/resilience';
import type { PerformanceTracker } from '@vigil/timers';
import type { Lane, LastError } from './lane.js';

/** One job type's state, as `stats()` and `GET /jobs` show it. */
export interface TypeStats {
  /** Waiting to start, delayed ones included. */
  readonly queued: number;
  /** Of `queued`, those waiting for a delay or a retry backoff. */
  readonly delayed: number;
  /** Attempts running, overdue ones included. */
  readonly running: number;
  /** Attempts that ran past their timeout and whose handler has not settled: stuck. */
  readonly overdue: number;
  /** Longest time a running attempt has run, ms (0 when none). */
  readonly longestRunning: number;
  readonly concurrency: number;
  /** Attempts that succeeded, failed, and jobs dead-lettered, since the runner started. */
  readonly completed: number;
  readonly failed: number;
  readonly deadLettered: number;
  /**
   * Jobs a shared queue (BullMQ) found stalled (their worker stopped mid-run) that this process
   * ran again: each one may have run twice.
   */
  readonly recovered: number;
  /** Failed share of the latest `recentAttempts` attempts. */
  readonly failureRate: number;
  /** How many attempts `failureRate` is over: the latest, up to 100. */
  readonly recentAttempts: number;
  /** The type's timeout, ms, if any. */
  readonly timeout: number | undefined;
  /** The breaker's state; undefined without a breaker. */
  readonly breaker: BreakerState | undefined;
  /** Recent attempt durations in seconds, from the tracker (undefined without one or before any). */
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly lastError: LastError | undefined;
}

/** @internal A lane's stats at `now`. */
export function laneStats(
  lane: Lane,
  tracker: PerformanceTracker | undefined,
  now: number,
): TypeStats {
  let overdue = 0;
  let longestRunning = 0;
  for (const attempt of lane.running) {
    if (attempt.overdue) overdue++;
    longestRunning = Math.max(longestRunning, now - attempt.startedAt);
  }
  const recentFailures = lane.recentFailures();
  const recent = tracker?.stats(lane.operation)?.recent;
  const hasRecent = recent !== undefined && recent.count > 0;
  return {
    queued: lane.queued,
    delayed: lane.delayed + (lane.backlog?.delayed ?? 0),
    running: lane.running.size,
    overdue,
    longestRunning,
    concurrency: lane.config.concurrency,
    completed: lane.completed,
    failed: lane.failed,
    deadLettered: lane.deadLettered,
    recovered: lane.recovered,
    failureRate: recentFailures.rate,
    recentAttempts: recentFailures.attempts,
    timeout: lane.config.timeout,
    breaker: lane.breaker?.state,
    p50: hasRecent ? recent.p50 : undefined,
    p95: hasRecent ? recent.p95 : undefined,
    lastError: lane.lastError,
  };
}
