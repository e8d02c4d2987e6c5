import type { TimerHandle, Timers } from '@vigil/core';
import type { IdempotencyStore } from '@vigil/storage';
import { JobCancelledError } from './errors.js';
import type { Job } from './job.js';
import { JobHandle } from './job-handle.js';
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
 * @internal Submits jobs that carry an idempotency key: the first claim of the key queues the job;
 * every later call within the key's TTL joins that job (live in this runner), gets its stored
 * result (completed), or waits for it (held by another runner sharing the store).
 */
export class IdempotentSubmit {
  readonly #store: IdempotencyStore;
  readonly #outcomes: JobOutcomes;
  readonly #timers: Timers;
  readonly #polls = new Set<TimerHandle>();

  constructor(store: IdempotencyStore, outcomes: JobOutcomes, timers: Timers) {
    this.#store = store;
    this.#outcomes = outcomes;
    this.#timers = timers;
  }

  async submit(
    job: Job,
    handle: JobHandle,
    ttl: number,
    accept: () => Promise<void> | undefined,
  ): Promise<JobHandle> {
    const key = job.idempotencyKey as string;
    const record: KeyRecord = { jobId: job.id, state: 'pending' };
    const claim = await this.#store.claim<KeyRecord>(key, record, ttl);
    if (claim.claimed) {
      job.watch(handle);
      try {
        await accept();
      } catch (error) {
        await this.#store.release(key);
        throw error;
      }
      return handle;
    }
    const held = claim.value;
    const existing = new JobHandle(held.jobId, job.type);
    if (held.state === 'completed') {
      existing.settle(true, held.result);
      return existing;
    }
    const live = this.#outcomes.keyed.get(held.jobId);
    if (live !== undefined) live.watch(existing);
    else this.#poll(key, existing);
    return existing;
  }

  /** Stops polling keys held elsewhere. */
  stop(): void {
    for (const poll of this.#polls) this.#timers.clearTimeout(poll);
    this.#polls.clear();
  }

  #poll(key: string, handle: JobHandle): void {
    const poll = this.#timers.setTimeout(() => {
      this.#polls.delete(poll);
      this.#store.get<KeyRecord>(key).then(
        (record) => {
          if (record === undefined || record.jobId !== handle.id) {
            handle.settle(
              false,
              new JobCancelledError(
                handle.id,
                false,
                `job ${handle.id}, which held idempotency key ${JSON.stringify(key)} in another runner, ended without a result (dead-lettered or expired)`,
              ),
            );
          } else if (record.state === 'completed') handle.settle(true, record.result);
          else this.#poll(key, handle);
        },
        (error: unknown) => handle.settle(false, error),
      );
    }, POLL_INTERVAL);
    this.#polls.add(poll);
  }
}
