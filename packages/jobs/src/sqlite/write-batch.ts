import type { StoredJob } from '../backend.js';

/** @internal Insert parameters per job, in `JOB_COLUMNS` order from `seq` up to `replays`. */
export const INSERT_PARAMS = 12;

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
 * transaction, then cleared for the next. New jobs share one acknowledgement, settled by the
 * commit; the rest is fire-and-forget. Rows go by `seq`, one per job incarnation (a job replayed
 * under the id of a finished one gets a new row), so writes of different incarnations never
 * collide. Writes of one job fold together: a retry keeps only its latest state, a start records
 * only the job's id (its lease is read at commit, so a job that started and finished since
 * writes one DELETE), and a finish cancels an insert of the same batch.
 *
 * The table applies deletions, insertions, retries, then leases (a job may start, fail and
 * start again in one batch).
 */
export class WriteBatch {
  /** The new jobs' insert parameters, `INSERT_PARAMS` per job. */
  readonly inserts: unknown[] = [];
  /** Rows to delete, by seq. */
  readonly removes: number[] = [];
  /** The ids of the jobs in `removes`, in the same order. */
  readonly removedIds: string[] = [];
  /** Retries, by seq: the latest state. */
  readonly retries = new Map<number, RetryState>();
  /** Jobs started or renewed since the last commit, by id (repeats allowed). */
  readonly leased: string[] = [];
  /** The seq of the batch's first insert: its inserts have consecutive seqs from there. */
  #firstSeq: number;
  /** Inserts a finish in the same batch cancelled, by their index (per job) in `inserts`. */
  #cancelled: Set<number> | undefined;
  #size = 0;
  #ack:
    | { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void }
    | undefined;

  constructor(firstSeq: number) {
    this.#firstSeq = firstSeq;
  }

  /** Rows the batch writes: insertions, deletions and retries (leases: one per running job). */
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

  /** The seq the next insert of the batch takes. */
  get nextSeq(): number {
    return this.#firstSeq + this.adds;
  }

  /**
   * Queues a new job as row `nextSeq` (its payload already JSON); the promise settles with the
   * commit.
   */
  add(job: StoredJob, payload: string | null): Promise<void> {
    this.inserts.push(
      this.nextSeq,
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

  /** The job in row `seq` failed an attempt and waits for its retry, queued again. */
  retry(seq: number, retry: RetryState): void {
    this.retries.set(seq, retry);
    this.#size++;
  }

  /**
   * The job in row `seq` is done: delete the row, or, when this batch inserts it (which the
   * runner never has: it starts a job only once its add committed), do not insert it.
   */
  remove(id: string, seq: number): void {
    if (this.retries.size !== 0) this.retries.delete(seq);
    if (seq >= this.#firstSeq) {
      (this.#cancelled ??= new Set()).add(seq - this.#firstSeq);
      return;
    }
    this.removes.push(seq);
    this.removedIds.push(id);
    this.#size++;
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
    for (let i = 1; i < this.inserts.length; i += INSERT_PARAMS) {
      ids.push(this.inserts[i] as string);
    }
    return ids;
  }

  /** Acknowledges the new jobs: committed, or not (`error`). */
  settle(error: unknown): void {
    const ack = this.#ack;
    if (ack === undefined) return;
    if (error === undefined) ack.resolve();
    else ack.reject(error);
  }

  /** Empties the batch for the next group, whose first insert takes `firstSeq`. */
  clear(firstSeq: number): void {
    this.inserts.length = 0;
    this.removes.length = 0;
    this.removedIds.length = 0;
    this.retries.clear();
    this.leased.length = 0;
    this.#firstSeq = firstSeq;
    this.#cancelled = undefined;
    this.#size = 0;
    this.#ack = undefined;
  }
}
