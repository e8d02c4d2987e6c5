import { createHash } from 'node:crypto';
import type { TimerHandle, Timers } from '@vigil/core';
import type { IdempotencyStore } from '@vigil/storage';
import { JobCancelledError } from './errors.js';
import type { Job } from './job.js';
import type { JobOutcomes } from './job-outcomes.js';

/** What an idempotency key holds: the job, and its result once it completed. */
interface KeyRecord {
  readonly jobId: string;
  readonly state: 'pending' | 'completed';
  readonly result?: unknown;
}

/** How often a key held by a job in another runner is read again. */
const POLL_INTERVAL = 1_000;

/**
 * The id of every job of `type` run under `key`: `k-` and 22 characters of a SHA-256 of both, so
 * that every caller with the key gets the same id at once, and any key fits any backend's id
 * rules. Keys are per type.
 */
export function keyedJobId(type: string, key: string): string {
  return `k-${createHash('sha256').update(type).update('\0').update(key).digest('base64url').slice(0, 22)}`;
}

/** @internal The idempotency store's key for a job type's key. */
export function storeKey(type: string, key: string): string {
  return `jobs:${type}:${key}`;
}

/**
 * @internal Submits jobs that carry an idempotency key. A call while a job with the key is live
 * in this runner joins it at once. Otherwise the job waits in `keyed` (later callers join it)
 * while the store's claim decides: the first claim queues it; a lost claim answers the stored
 * result (completed), or waits for the runner that holds the key (polling the store).
 */
export class IdempotentSubmit {
  readonly #store: IdempotencyStore;
  readonly #outcomes: JobOutcomes;
  readonly #timers: Timers;
  readonly #report: (error: unknown, operation: string) => void;
  readonly #polls = new Map<TimerHandle, Job>();
  #stopped = false;

  constructor(
    store: IdempotencyStore,
    outcomes: JobOutcomes,
    timers: Timers,
    report: (error: unknown, operation: string) => void,
  ) {
    this.#store = store;
    this.#outcomes = outcomes;
    this.#timers = timers;
    this.#report = report;
  }

  /** Joins the live job with this key, or claims the key for `job`; `accept` stores and queues it. */
  submit(job: Job, ttl: number, accept: () => Promise<void> | undefined): Job {
    const live = this.#outcomes.keyed.get(job.id);
    if (live !== undefined) return live;
    this.#outcomes.keyed.set(job.id, job);
    const key = storeKey(job.type, job.idempotencyKey as string);
    this.#store.claim<KeyRecord>(key, { jobId: job.id, state: 'pending' }, ttl).then(
      (claim) => {
        if (this.#stopped) {
          // The runner closed while the store answered: nothing is queued any more.
          if (claim.claimed) this.#release(key);
          this.#outcomes.keyed.delete(job.id);
          this.#outcomes.cancel(job);
        } else if (claim.claimed) this.#accept(job, key, accept);
        else this.#joinHeld(job, key, claim.value);
      },
      (error: unknown) => this.#refuse(job, error),
    );
    return job;
  }

  /**
   * Claims the key again for a replayed job (its dead-lettering released it); false when a job
   * under the key is live or completed since, so the replay has nothing to run.
   */
  async reclaim(job: Job, ttl: number): Promise<boolean> {
    if (this.#outcomes.keyed.has(job.id)) return false;
    const key = storeKey(job.type, job.idempotencyKey as string);
    const claim = await this.#store.claim<KeyRecord>(key, { jobId: job.id, state: 'pending' }, ttl);
    if (claim.claimed) return true;
    // A pending claim of this very job that no live job holds is left over from a crash.
    return claim.value.state === 'pending' && claim.value.jobId === job.id;
  }

  /** Stops polling keys held elsewhere: the jobs waiting on them are cancelled. */
  stop(): void {
    this.#stopped = true;
    for (const [poll, job] of this.#polls) {
      this.#timers.clearTimeout(poll);
      this.#outcomes.cancel(job);
    }
    this.#polls.clear();
  }

  #release(key: string): void {
    this.#store
      .release(key)
      .catch((failure: unknown) => this.#report(failure, 'release idempotency key'));
  }

  #accept(job: Job, key: string, accept: () => Promise<void> | undefined): void {
    let accepted: Promise<void> | undefined;
    try {
      accepted = accept();
    } catch (error) {
      this.#refuse(job, error, key);
      return;
    }
    if (accepted === undefined) job.acknowledge();
    else {
      accepted.then(
        () => job.acknowledge(),
        (error: unknown) => this.#refuse(job, error, key),
      );
    }
  }

  #joinHeld(job: Job, key: string, held: KeyRecord): void {
    this.#outcomes.keyed.delete(job.id);
    job.acknowledge();
    if (held.state === 'completed') job.settle(true, held.result);
    else this.#poll(key, job);
  }

  #refuse(job: Job, error: unknown, key?: string): void {
    this.#outcomes.keyed.delete(job.id);
    if (key !== undefined) {
      this.#store
        .release(key)
        .catch((failure: unknown) => this.#report(failure, 'release idempotency key'));
    }
    job.acknowledge(error);
    job.settle(false, error);
  }

  #poll(key: string, job: Job): void {
    if (this.#stopped) {
      this.#outcomes.cancel(job);
      return;
    }
    const poll = this.#timers.setTimeout(() => {
      this.#polls.delete(poll);
      this.#store.get<KeyRecord>(key).then(
        (record) => {
          if (record === undefined || record.jobId !== job.id) {
            job.settle(
              false,
              new JobCancelledError(
                job.id,
                false,
                `job ${job.id}, which held idempotency key ${JSON.stringify(key)} in another runner, ended without a result (dead-lettered or expired)`,
              ),
            );
          } else if (record.state === 'completed') job.settle(true, record.result);
          else this.#poll(key, job);
        },
        (error: unknown) => job.settle(false, error),
      );
    }, POLL_INTERVAL);
    this.#polls.set(poll, job);
  }
}
