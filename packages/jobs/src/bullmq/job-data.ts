import type { AttemptRecord } from '../backend.js';
import { Job } from '../job.js';
import { MAX_PRIORITY } from '../priority.js';

/**
 * @internal A Vigil job as BullMQ keeps it in `data` (short keys: it is stored with every job).
 * The attempt count and the timestamps are BullMQ's own fields.
 */
export interface JobData {
  /** The payload (absent when undefined). */
  readonly p?: unknown;
  /** The idempotency key. */
  readonly k?: string;
  /** Times the job came back from the dead-letter queue. */
  readonly r?: number;
  /** The backoff delay before the latest retry, ms. */
  readonly d?: number;
  /** The failed attempts so far. */
  readonly h?: readonly AttemptRecord[];
  /** When the job was ready for its latest attempt, ms since the epoch. */
  readonly t?: number;
  /** Starts that were handed back without running (the breaker refused them): not stalls. */
  readonly s?: number;
}

/** The fields of a BullMQ job the backend reads. */
export interface BullJobFields {
  readonly id?: string | undefined;
  readonly data: JobData;
  readonly timestamp: number;
  readonly delay: number;
  readonly attemptsMade: number;
  readonly attemptsStarted: number;
  readonly opts: { readonly priority?: number | undefined };
}

/**
 * Vigil's priorities (0 to 1,000, higher first) as BullMQ's (1 is the highest): every job gets
 * one, so that every job sits in BullMQ's prioritized set, FIFO within a priority.
 */
export function bullPriority(priority: number): number {
  return MAX_PRIORITY + 1 - priority;
}

/** @internal The job a worker took, as the runner's outcomes handle it. */
export function jobFromBull(bull: BullJobFields, type: string): Job {
  const data = bull.data ?? {};
  const bullPriorityValue = bull.opts.priority ?? 0;
  const firstReady = bull.timestamp + (bull.delay ?? 0);
  const job = new Job(
    bull.id as string,
    type,
    data.p,
    bullPriorityValue > 0 ? MAX_PRIORITY + 1 - bullPriorityValue : 0,
    bull.timestamp,
    data.t ?? firstReady,
    data.k,
    data.r ?? 0,
  );
  job.attempts = bull.attemptsMade;
  job.previousDelay = data.d ?? 0;
  if (data.h !== undefined) job.history = data.h;
  return job;
}

/** Times the job was taken by a worker that stopped before it finished. */
export function stallsOf(bull: BullJobFields): number {
  return Math.max(0, bull.attemptsStarted - 1 - bull.attemptsMade - (bull.data?.s ?? 0));
}
