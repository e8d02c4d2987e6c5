import type { MissedPolicy, OverlapPolicy } from './schedule-options.js';

/** One run of a schedule, as this instance saw it. */
export interface ScheduleRun {
  /** The tick it was for, ms since the epoch (for a manual run: when it was asked for). */
  readonly tick: number;
  /** When this instance fired it. */
  readonly at: number;
  /**
   * `running` (its job is queued or running), `completed`, `failed`, `skipped` (the previous
   * run had not finished, `overlap: 'skip'`), or `missed` (dropped after downtime,
   * `missed: 'skip'`).
   */
  outcome: 'running' | 'completed' | 'failed' | 'skipped' | 'missed';
  /** The job it queued (none for a task). */
  jobId?: string;
  /** `tick`, or `manual` for `runNow`. */
  readonly trigger?: 'tick' | 'manual';
  /** The job's error message, when it failed. */
  error?: string;
}

/** A schedule as `scheduler.status()` shows it. */
export interface ScheduleStatus {
  readonly name: string;
  readonly cron: string;
  /** The job type it queues; undefined for a task. */
  readonly type: string | undefined;
  readonly timezone: string | undefined;
  readonly overlap: OverlapPolicy;
  readonly missed: MissedPolicy;
  readonly paused: boolean;
  /** Whether this instance holds the scheduler lease (fires the ticks). */
  readonly leader: boolean;
  /** The next three ticks, ms since the epoch (none while paused). */
  readonly nextRuns: readonly number[];
  /** The last tick fired by any instance, as last read from the shared record. */
  readonly lastTick: number | undefined;
  readonly lastRun: ScheduleRun | undefined;
  /** The latest runs this instance fired, oldest first (bounded). */
  readonly history: readonly ScheduleRun[];
}
