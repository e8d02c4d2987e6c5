import type { Clock } from '@vigil/core';
import type { DeadLetterError } from '@vigil/storage';
import type { PerformanceTracker } from '@vigil/timers';
import type { Attempt } from './attempt.js';
import type { AttemptRecord, JobBackend, RecoveredJob } from './backend.js';
import { JobCancelledError, UnrecoverableError } from './errors.js';
import { storeKey } from './idempotent-submit.js';
import { Job } from './job.js';
import type { DeadLetterReason, JobEvents } from './job-events.js';
import type { JobStore } from './job-runner-options.js';
import type { Lane } from './lane.js';

/** @internal What the outcomes need from the runner. */
export interface OutcomeSettings {
  readonly listeners: { listenerCount(event: keyof JobEvents): number };
  readonly emit: <K extends keyof JobEvents>(event: K, ...args: JobEvents[K]) => void;
  /** Where a job waiting for its next attempt goes: the runner's queue, or a shared queue's retry. */
  readonly scheduler: { add(job: Job, lane: Lane): void };
  readonly backend: Pick<JobBackend, 'durable' | 'started' | 'retrying' | 'finished'>;
  /**
   * Whether idempotency keys live in the store's `IdempotencyStore` (the runner's own queue), or
   * in the shared queue, which dedupes by job id (BullMQ): then outcomes leave the store alone.
   */
  readonly keysInStore: boolean;
  readonly store: JobStore;
  readonly lanes: ReadonlyMap<string, Lane>;
  readonly tracker: PerformanceTracker | undefined;
  readonly clock: Clock;
  readonly report: (error: unknown, operation: string) => void;
}

/** Failed attempts kept with a job and its dead letter: the latest ones. */
const HISTORY = 20;

/**
 * @internal What happens around an attempt: queuing, starting (wait time, backend lease,
 * event), and its outcome: completion, retry with the type's backoff, or the dead-letter queue;
 * with metrics, the tracker, idempotency keys and events. During `close()` outcomes that would
 * queue again cancel instead.
 */
export class JobOutcomes {
  readonly #settings: OutcomeSettings;
  /** Live jobs that hold an idempotency key, by id: a second caller with the key joins them. */
  readonly keyed = new Map<string, Job>();
  /** Dead-letter writes in flight; `close()` waits for them. */
  readonly pending = new Set<Promise<unknown>>();
  /** Attempts `close()` gave up on: their outcome cancels the job. */
  readonly abandoned = new Set<Attempt>();
  /** Set once `close()` began: retries and replays are not queued any more. */
  closing = false;
  /** Jobs the memory backend lost to `close()`. */
  dropped = 0;
  /** Jobs a durable backend keeps for the next start, having cancelled them in `close()`. */
  kept = 0;

  constructor(settings: OutcomeSettings) {
    this.#settings = settings;
  }

  /** Puts an accepted job in its queue; once `close()` began, cancels it (kept if durable). */
  queue(job: Job): void {
    if (this.closing) {
      this.cancel(job);
      return;
    }
    const { lanes, scheduler, listeners, emit } = this.#settings;
    const lane = lanes.get(job.type) as Lane;
    if (job.idempotencyKey !== undefined) this.keyed.set(job.id, job);
    if (listeners.listenerCount('queued') !== 0) {
      emit('queued', { jobId: job.id, type: job.type, priority: job.priority, runAt: job.runAt });
    }
    scheduler.add(job, lane);
  }

  /** Queues a job a durable backend kept: running ones wait for their lease to expire. */
  recover(stored: RecoveredJob): void {
    const job = new Job(
      stored.id,
      stored.type,
      stored.payload,
      stored.priority,
      stored.enqueuedAt,
      Math.max(stored.runAt, stored.leaseUntil ?? 0),
      stored.idempotencyKey,
      stored.replays,
    );
    job.attempts = stored.attempts;
    job.previousDelay = stored.previousDelay;
    job.history = stored.history;
    // Stored already: a keyed caller joining it is acknowledged at once.
    job.acknowledge();
    this.queue(job);
  }

  started(attempt: Attempt): void {
    const { job, lane } = attempt;
    job.startedAt = attempt.startedAt;
    lane.metrics?.wait.observe(Math.max(0, attempt.startedAt - job.readyAt) / 1000);
    this.#settings.backend.started(job.id);
    if (this.#settings.listeners.listenerCount('started') !== 0) {
      this.#settings.emit('started', {
        jobId: job.id,
        type: job.type,
        attempt: attempt.attempt,
        waited: Math.max(0, attempt.startedAt - job.readyAt),
      });
    }
  }

  progress(attempt: Attempt, fraction: number, message: string | undefined): void {
    if (this.#settings.listeners.listenerCount('progress') === 0) return;
    this.#settings.emit('progress', {
      jobId: attempt.job.id,
      type: attempt.job.type,
      attempt: attempt.attempt,
      fraction,
      message,
    });
  }

  /** An attempt's outcome is known. */
  decided(attempt: Attempt, ok: boolean, value: unknown): void {
    const { job, lane } = attempt;
    // close() gave up on it and settled the job already.
    if (this.abandoned.delete(attempt)) return;
    const { tracker } = this.#settings;
    const duration = Math.max(0, attempt.endedAt - attempt.startedAt);
    job.attempts = attempt.attempt;
    lane.metrics?.duration.observe(duration / 1000);
    tracker?.record(lane.operation, duration / 1000, ok);
    lane.recordOutcome(ok);
    try {
      if (ok) this.#completed(attempt, duration, value);
      else this.#failed(attempt, duration, value);
    } catch (error) {
      // A backend or store that threw: the job is not left hanging.
      this.#settings.report(error, 'settle job outcome');
      this.keyed.delete(job.id);
      job.settle(false, error);
    }
  }

  /** Counts the type's dead letters again, for the gauge. */
  refreshDeadLetters(type: string): void {
    const lanes = this.#settings.lanes;
    for (const lane of type === '' ? lanes.values() : [lanes.get(type)]) {
      if (lane?.metrics === undefined) continue;
      const gauge = lane.metrics.deadLetters;
      this.#settings.store.deadLetters.count({ queue: lane.name }).then(
        (count) => gauge.set(count),
        (error: unknown) => this.#settings.report(error, 'count dead letters'),
      );
    }
  }

  #completed(attempt: Attempt, duration: number, value: unknown): void {
    const { job, lane } = attempt;
    const { backend, store, listeners, emit, report } = this.#settings;
    lane.completed++;
    lane.metrics?.completed.inc();
    backend.finished(job.id);
    if (job.idempotencyKey !== undefined && this.#settings.keysInStore) {
      this.keyed.delete(job.id);
      store.idempotency
        .update(storeKey(job.type, job.idempotencyKey), {
          jobId: job.id,
          state: 'completed',
          result: value,
        })
        .catch((error: unknown) => report(error, 'store idempotent result'));
    }
    if (listeners.listenerCount('completed') !== 0) {
      emit('completed', {
        jobId: job.id,
        type: job.type,
        attempt: attempt.attempt,
        duration,
        result: value,
      });
    }
    job.settle(true, value);
  }

  #failed(attempt: Attempt, duration: number, error: unknown): void {
    const { job, lane } = attempt;
    const { listeners, emit } = this.#settings;
    const now = attempt.endedAt;
    lane.failed++;
    lane.metrics?.failed.inc();
    if (attempt.overdue) lane.metrics?.timedOut.inc();
    lane.lastError = { message: errorRecord(error).message, at: now };
    const record: AttemptRecord = {
      attempt: attempt.attempt,
      startedAt: attempt.startedAt,
      duration,
      error: errorRecord(error),
    };
    job.history = [...job.history.slice(1 - HISTORY), record];
    const plan =
      error instanceof UnrecoverableError
        ? ({ retry: false, reason: 'unrecoverable' } as const)
        : lane.retry === undefined
          ? ({ retry: false, reason: 'attempts' } as const)
          : lane.retry.plan(error, attempt.attempt, job.previousDelay);
    if (listeners.listenerCount('failed') !== 0) {
      emit('failed', {
        jobId: job.id,
        type: job.type,
        attempt: attempt.attempt,
        duration,
        error,
        timedOut: attempt.overdue,
        willRetry: plan.retry,
      });
    }
    if (plan.retry) this.#retry(attempt, plan.delay, error, now);
    else this.#deadLetter(job, lane, error, plan.reason as DeadLetterReason, now);
  }

  #retry(attempt: Attempt, delay: number, error: unknown, now: number): void {
    const { job, lane } = attempt;
    const { backend, scheduler, listeners, emit } = this.#settings;
    job.previousDelay = delay;
    job.runAt = now + delay;
    backend.retrying(job);
    lane.metrics?.retried.inc();
    if (listeners.listenerCount('retrying') !== 0) {
      emit('retrying', {
        jobId: job.id,
        type: job.type,
        attempt: attempt.attempt + 1,
        delay,
        error,
      });
    }
    if (this.closing) this.cancel(job);
    // The handler of a timed-out attempt may still run: the retry waits until it settles, so
    // that one job never runs twice at once.
    else if (attempt.overdue && !attempt.released)
      attempt.afterRelease = () => this.#retryAfterOverdue(job, lane);
    else scheduler.add(job, lane);
  }

  #retryAfterOverdue(job: Job, lane: Lane): void {
    if (this.closing) this.cancel(job);
    else this.#settings.scheduler.add(job, lane);
  }

  /**
   * Sends a job to the dead-letter queue without another attempt (a shared queue's job that
   * stalled too often); its handles settle with `error` once the letter is written.
   */
  deadLetter(job: Job, lane: Lane, error: unknown, reason: DeadLetterReason): void {
    this.#deadLetter(job, lane, error, reason, this.#settings.clock.now());
  }

  #deadLetter(job: Job, lane: Lane, error: unknown, reason: DeadLetterReason, now: number): void {
    const { backend, store, listeners, emit, report } = this.#settings;
    const metadata: Record<string, unknown> = {
      reason,
      priority: job.priority,
      enqueuedAt: job.enqueuedAt,
      history: job.history,
      replays: job.replays,
    };
    if (job.idempotencyKey !== undefined) metadata['idempotencyKey'] = job.idempotencyKey;
    const write = store.deadLetters
      .add({
        id: job.id,
        queue: job.type,
        // A letter holds JSON: an undefined payload is kept as null.
        payload: job.payload === undefined ? null : job.payload,
        error: errorRecord(error) as DeadLetterError,
        attempts: job.attempts,
        failedAt: now,
        metadata,
      })
      .then(
        () => {
          // Only once the letter is stored does the backend forget the job: a crash in between
          // runs it again rather than lose it.
          backend.finished(job.id);
          lane.deadLettered++;
          lane.metrics?.deadLettered.inc();
          this.refreshDeadLetters(job.type);
          if (listeners.listenerCount('dead-lettered') !== 0) {
            emit('dead-lettered', {
              jobId: job.id,
              type: job.type,
              attempts: job.attempts,
              error,
              reason,
            });
          }
        },
        (failure: unknown) => report(failure, 'store dead letter'),
      )
      .finally(() => {
        this.pending.delete(write);
        // Stored or not, the job ended here: its key is free for a later call to try again.
        this.#releaseKey(job);
        job.settle(false, error);
      });
    this.pending.add(write);
  }

  #releaseKey(job: Job): void {
    if (job.idempotencyKey === undefined || !this.#settings.keysInStore) return;
    this.keyed.delete(job.id);
    const release = this.#settings.store.idempotency
      .release(storeKey(job.type, job.idempotencyKey))
      .catch((failure: unknown) => this.#settings.report(failure, 'release idempotency key'))
      .finally(() => this.pending.delete(release));
    this.pending.add(release);
  }

  /** Settles a job `close()` did not let finish; answers the error its callers got. */
  cancel(job: Job): JobCancelledError {
    const kept = this.#settings.backend.durable;
    if (kept) this.kept++;
    else {
      this.dropped++;
      // The memory backend forgets the job: its key must not point at it for the key's TTL.
      this.#releaseKey(job);
    }
    this.keyed.delete(job.id);
    const error = new JobCancelledError(job.id, kept);
    job.settle(false, error);
    return error;
  }
}

/** An error as a dead letter and the attempt history keep it: plain JSON. */
export function errorRecord(error: unknown): AttemptRecord['error'] {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      message: error.message,
      name: error.name,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  return { message: typeof error === 'string' ? error : describeThrown(error) };
}

/** Words for a thrown value that is no Error: its JSON, else its string, never a throw. */
function describeThrown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return '[a value that cannot be described]';
    }
  }
}
