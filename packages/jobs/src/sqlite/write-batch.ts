import type { StoredJob } from '../backend.js';

/** @internal Insert parameters per job, in `JOB_COLUMNS` order up to `replays`. */
export const INSERT_PARAMS = 11;

/** @internal A job's state after a failed attempt, as `retrying()` gave it. */
export interface RetryState {
  readonly attempts: number;
  readonly runAt: number;
  readonly previousDelay: number;
  /** The failed attempts, as JSON text. */
  readonly history: string;
}

/**
 * @internal One group commit: what the runner wrote since the last one, committed in one
 * transaction, then cleared for the next. New jobs share one acknowledgement, settled by the commit; the rest is
 * fire-and-forget. Writes of one job fold together: a retry keeps only its latest state, a start
 * records only the job's id (its lease is read at commit, so a job that started and finished
 * since writes one DELETE), and a finish cancels an insert of the same batch.
 *
 * The table applies the batch in this order, correct for every order the writes can come in:
 * deletions (a job finished, perhaps replayed under the same id in this batch), insertions,
 * retries, then leases (a job may start, fail and start again in one batch).
 */
export class WriteBatch {
  /** The new jobs' insert parameters, `INSERT_PARAMS` per job. */
  readonly inserts: unknown[] = [];
  /** Jobs to delete, by id. */
  readonly removes: string[] = [];
  /** Retries, by job id: the latest state. */
  readonly retries = new Map<string, RetryState>();
  /** Jobs started or renewed since the last commit, by id (repeats allowed). */
  readonly leased: string[] = [];
  /** Inserts a finish in the same batch cancelled, by their index (per job) in `inserts`. */
  #cancelled: Set<number> | undefined;
  #size = 0;
  #ack:
    | { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void }
    | undefined;

  /** Rows the batch writes: insertions, deletions and retries (leases are bounded by the jobs running). */
  get size(): number {
    return this.#size;
  }

  /** Inserts in the batch, cancelled ones included. */
  get adds(): number {
    return this.inserts.length / INSERT_PARAMS;
  }

  /** Whether there is nothing to write. */
  get empty(): boolean {
    return this.#size === 0 && this.leased.length === 0;
  }

  /** Fire-and-forget writes in the batch: deletions, retries and leases. */
  get updates(): number {
    return this.removes.length + this.retries.size + this.leased.length;
  }

  /** Whether the batch acknowledges new jobs (its commit must then be durable). */
  get acknowledges(): boolean {
    return this.#ack !== undefined;
  }

  /** Queues a new job (its payload already JSON); the promise settles with the commit. */
  add(job: StoredJob, payload: string | null): Promise<void> {
    this.inserts.push(
      job.id,
      job.type,
      payload,
      job.priority,
      job.enqueuedAt,
      job.runAt,
      job.attempts,
      job.previousDelay,
      job.history.length === 0 ? '[]' : JSON.stringify(job.history),
      job.idempotencyKey ?? null,
      job.replays,
    );
    this.#size++;
    if (this.#ack === undefined) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#ack = { promise, resolve, reject };
    }
    return this.#ack.promise;
  }

  /** The job started, or its lease was renewed. */
  lease(id: string): void {
    // Not counted in the size: the leases written are those of the jobs still running at commit.
    this.leased.push(id);
  }

  /** The job failed an attempt and waits for its retry, queued again. */
  retry(id: string, retry: RetryState): void {
    this.retries.set(id, retry);
    this.#size++;
  }

  /**
   * The job is done: delete it, or, when it was added in this batch (`addedHere`, which the
   * runner never does: it starts a job only once its add committed), do not insert it.
   */
  remove(id: string, addedHere: boolean): void {
    if (this.retries.size !== 0) this.retries.delete(id);
    if (!addedHere) {
      this.removes.push(id);
      this.#size++;
      return;
    }
    for (let job = this.adds - 1; job >= 0; job--) {
      if (this.inserts[job * INSERT_PARAMS] !== id || this.#cancelled?.has(job)) continue;
      (this.#cancelled ??= new Set()).add(job);
      return;
    }
  }

  /** The insert parameters of the jobs to insert, without the cancelled ones. */
  insertParams(): unknown[] {
    const cancelled = this.#cancelled;
    if (cancelled === undefined) return this.inserts;
    const kept: unknown[] = [];
    for (let job = 0; job < this.adds; job++) {
      if (cancelled.has(job)) continue;
      for (let i = job * INSERT_PARAMS; i < (job + 1) * INSERT_PARAMS; i++) {
        kept.push(this.inserts[i]);
      }
    }
    return kept;
  }

  /** Ids of the new jobs, cancelled ones included. */
  addedIds(): string[] {
    const ids: string[] = [];
    for (let i = 0; i < this.inserts.length; i += INSERT_PARAMS)
      ids.push(this.inserts[i] as string);
    return ids;
  }

  /** Empties the batch for the next group. */
  clear(): void {
    this.inserts.length = 0;
    this.removes.length = 0;
    this.retries.clear();
    this.leased.length = 0;
    this.#cancelled = undefined;
    this.#size = 0;
    this.#ack = undefined;
  }

  /** Acknowledges the new jobs: committed, or not (`error`). */
  settle(error: unknown): void {
    const ack = this.#ack;
    if (ack === undefined) return;
    if (error === undefined) ack.resolve();
    else ack.reject(error);
  }
}
