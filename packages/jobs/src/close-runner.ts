import type { TimerHandle, Timers } from '@vigil/core';
import type { PerformanceTracker } from '@vigil/timers';
import type { JobBackend } from './backend.js';
import type { DeadLetterMaintenance } from './dead-letter-maintenance.js';
import type { IdempotentSubmit } from './idempotent-submit.js';
import type { JobMetrics } from './job-metrics.js';
import type { JobOutcomes } from './job-outcomes.js';
import type { JobScheduler } from './job-scheduler.js';
import type { Lane } from './lane.js';
import type { QueueEngine } from './queue-backend.js';
import type { Scheduler } from './scheduler/scheduler.js';

/** What `close()` answers. */
export interface CloseReport {
  /** Queued jobs the memory backend dropped, and running ones it had to abort. */
  readonly dropped: number;
  /** Jobs a durable backend keeps for the next start (queued, and running ones aborted). */
  readonly kept: number;
  /** Running attempts still undecided at the timeout, aborted through their signals. */
  readonly aborted: number;
}

/** @internal The runner's parts `close()` shuts down, in order. */
export interface ClosingParts {
  /** How long running jobs may finish, ms (checked by `close()` before it began). */
  readonly timeout: number;
  /** The cron scheduler, if one was made: it stops first and gives its lease up. */
  readonly cron: Scheduler | undefined;
  readonly opening: Promise<void>;
  /** The shared queue, if the backend is one: it closes its workers instead of the runner's queue. */
  readonly queue: QueueEngine | undefined;
  readonly scheduler: JobScheduler;
  readonly outcomes: JobOutcomes;
  readonly lanes: ReadonlyMap<string, Lane>;
  readonly backend: JobBackend;
  readonly maintenance: DeadLetterMaintenance;
  readonly idempotent: IdempotentSubmit;
  readonly timers: Timers;
  /** The runner's own tracker, closed with it; a tracker passed in is left open. */
  readonly tracker: PerformanceTracker | undefined;
  /** The runner's metrics: its types leave the shared gauges. */
  readonly metrics: JobMetrics | undefined;
  /** The runner's own store, closed with it. */
  readonly store: (AsyncDisposable & { close(): Promise<void> }) | undefined;
}

/**
 * @internal `JobRunner.close()`: stops intake and the queue, lets running attempts finish for
 * up to `timeout`, aborts the rest, waits for dead-letter writes, then closes the backend,
 * breakers, maintenance, and what the runner owns.
 */
export async function closeRunner(parts: ClosingParts): Promise<CloseReport> {
  const { scheduler, outcomes, lanes, backend } = parts;
  const timeout = parts.timeout;
  // At the call, before any await: nothing queued starts once close() was called.
  outcomes.closing = true;
  const queued = scheduler.stop();
  const droppedBefore = outcomes.dropped;
  const keptBefore = outcomes.kept;
  for (const job of queued) outcomes.cancel(job);
  await parts.cron?.close();
  await parts.opening.catch(() => undefined);
  let aborted: number;
  let keptShared = 0;
  if (parts.queue === undefined) {
    aborted = await finishOrAbort(scheduler, outcomes, lanes, timeout, parts.timers);
  } else {
    const report = await parts.queue.close(timeout);
    aborted = report.aborted;
    keptShared = report.kept;
  }
  await Promise.allSettled([...outcomes.pending]);
  parts.idempotent.stop();
  await parts.maintenance.stop();
  for (const lane of lanes.values()) await lane.breaker?.close();
  await backend.close();
  await parts.tracker?.close();
  await parts.store?.close();
  parts.metrics?.unbind();
  return {
    dropped: outcomes.dropped - droppedBefore,
    kept: outcomes.kept - keptBefore + keptShared,
    aborted,
  };
}

/** Waits for running attempts up to `timeout`; aborts the undecided ones left; answers how many. */
async function finishOrAbort(
  scheduler: JobScheduler,
  outcomes: JobOutcomes,
  lanes: ReadonlyMap<string, Lane>,
  timeout: number,
  timers: Timers,
): Promise<number> {
  if (scheduler.running === 0) return 0;
  if (timeout > 0) {
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = timers.setTimeout(() => resolve(true), timeout);
    });
    const gaveUp = await Promise.race([scheduler.whenIdle().then(() => false), timedOut]);
    timers.clearTimeout(timer);
    if (!gaveUp) return 0;
  }
  let aborted = 0;
  for (const lane of lanes.values()) {
    for (const attempt of lane.running) {
      if (attempt.decided) {
        // Timed out, its handler still running, its retry waiting for it: the job ends here.
        if (attempt.afterRelease !== undefined) {
          attempt.afterRelease = undefined;
          outcomes.cancel(attempt.job);
        }
        continue;
      }
      outcomes.abandoned.add(attempt);
      const cancelled = outcomes.cancel(attempt.job);
      attempt.abort(cancelled);
      aborted++;
    }
  }
  return aborted;
}
