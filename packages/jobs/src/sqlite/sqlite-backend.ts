import { type Clock, systemClock, systemTimers } from '@vigil/core';
import type { BackendContext, JobBackend, RecoveredJob, StoredJob } from '../backend.js';
import { JobBackendError } from '../errors.js';
import { JobTable } from './job-table.js';
import { LeaseRenewal } from './lease-renewal.js';
import { openConnection } from './open-connection.js';
import { payloadJson } from './payload-json.js';
import { recoverJobs } from './recover-jobs.js';
import {
  type SqliteBackendConfig,
  type SqliteBackendOptions,
  sqliteBackendConfig,
} from './sqlite-backend-options.js';
import { WriteBatch } from './write-batch.js';

/**
 * A durable backend for `JobRunner`, on an SQLite file (better-sqlite3, WAL mode): queued and
 * running jobs survive a restart or a crash, and run again (at least once).
 *
 * - **Group commit.** `enqueue` acknowledges a job once it is committed; the jobs enqueued in one
 *   turn of the event loop (up to `batchSize`), with the starts, retries and completions of that
 *   turn, are written in one transaction, so durability costs one fsync per group, not per job.
 * - **Leases.** A started job is leased for `lease` and renewed while it runs. After a crash, a
 *   job that was running runs again once its lease expired, as the same attempt.
 * - **One process per file.** With `path`, the backend holds an exclusive lock on the file
 *   (`locking_mode = EXCLUSIVE`) while open: a second runner on it fails at start with
 *   `JobBackendError` (`JOB_BACKEND_FAILED`) instead of sharing the queue.
 *
 * better-sqlite3 is an optional peer dependency, loaded when the runner opens the backend.
 * Payloads are stored as JSON: after a restart a handler sees what `JSON.stringify` made of its
 * payload. Failures of writes after a job was accepted go to the runner's `onError`.
 *
 * ```ts
 * import { JobRunner } from '@vigil/jobs';
 * import { sqliteBackend } from '@vigil/jobs/sqlite';
 *
 * const jobs = new JobRunner({ backend: sqliteBackend({ path: 'jobs.db' }), types: { email } });
 * ```
 *
 * @throws ConfigurationError (`INVALID_OPTION`, `INVALID_DURATION`) for bad options, at the call.
 */
export function sqliteBackend(options: SqliteBackendOptions): JobBackend {
  return new SqliteBackend(sqliteBackendConfig(options));
}

/** The backend `sqliteBackend()` answers. */
class SqliteBackend implements JobBackend {
  readonly name = 'sqlite';
  readonly durable = true;
  readonly #config: SqliteBackendConfig;
  #phase: 'new' | 'opening' | 'open' | 'closed' = 'new';
  #opening: Promise<unknown> = Promise.resolve();
  #closing: Promise<void> | undefined;
  #table: JobTable | undefined;
  #leases: LeaseRenewal | undefined;
  #clock: Clock = systemClock;
  #report: BackendContext['report'] = () => {};
  /**
   * The row (seq) of every job stored or about to be, by id: the writes after `add` go by it,
   * and a new job under a stored id is refused at `add`. Holding the file's lock, the backend
   * is the only writer, so this is the table's truth.
   */
  readonly #stored = new Map<string, number>();
  readonly #batch = new WriteBatch(1);
  #commitQueued = false;
  readonly #queuedCommit = (): void => {
    this.#commitQueued = false;
    this.#commit();
  };
  readonly #leaseOf = (id: string): number | undefined => this.#leases?.leaseOf(id);
  readonly #seqOf = (id: string): number | undefined => this.#stored.get(id);

  constructor(config: SqliteBackendConfig) {
    this.#config = config;
  }

  open(context: BackendContext): Promise<readonly RecoveredJob[]> {
    if (this.#phase !== 'new') {
      return Promise.reject(
        new JobBackendError(
          'sqliteBackend: open() was called twice; a backend serves one runner, once (make a new one with sqliteBackend())',
        ),
      );
    }
    this.#phase = 'opening';
    const opening = this.#open(context);
    this.#opening = opening.catch(() => undefined);
    return opening;
  }

  add(job: StoredJob): Promise<void> {
    if (this.#phase !== 'open') return Promise.reject(this.#notOpen(job.id));
    const payload = payloadJson(job);
    if (typeof payload === 'object' && payload !== null) return Promise.reject(payload);
    if (this.#stored.has(job.id)) {
      return Promise.reject(
        new JobBackendError(
          `sqliteBackend: a job with id ${JSON.stringify(job.id)} is stored already (queued or running); the new one was not queued`,
        ),
      );
    }
    this.#stored.set(job.id, this.#batch.nextSeq);
    const added = this.#batch.add(job, payload);
    this.#wrote();
    return added;
  }

  started(id: string): void {
    if (this.#phase !== 'open') return;
    (this.#leases as LeaseRenewal).started(id, this.#clock.now() + this.#config.lease);
    this.#batch.lease(id);
    this.#wrote();
  }

  retrying(job: StoredJob): void {
    if (this.#phase !== 'open') return;
    (this.#leases as LeaseRenewal).stopped(job.id);
    const seq = this.#stored.get(job.id);
    if (seq === undefined) return;
    let history: string;
    try {
      if (!Number.isFinite(job.runAt) || !Number.isFinite(job.previousDelay)) {
        throw new TypeError(
          `runAt (${job.runAt}) and previousDelay (${job.previousDelay}) should be finite`,
        );
      }
      history = job.history.length === 0 ? '[]' : JSON.stringify(job.history);
    } catch (error) {
      this.#report(
        new JobBackendError(
          `sqliteBackend could not store the retry of job ${job.id}: ${(error as Error).message}`,
          { cause: error },
        ),
        'store job retry',
      );
      return;
    }
    this.#batch.retry(seq, {
      attempts: job.attempts,
      runAt: job.runAt,
      previousDelay: job.previousDelay,
      history,
    });
    this.#wrote();
  }

  finished(id: string): void {
    if (this.#phase !== 'open') return;
    (this.#leases as LeaseRenewal).stopped(id);
    const seq = this.#stored.get(id);
    if (seq === undefined) return;
    this.#stored.delete(id);
    this.#batch.remove(id, seq);
    this.#wrote();
  }

  close(): Promise<void> {
    if (this.#closing === undefined) {
      // Writes from now on are ignored; what is pending is committed by #close().
      if (this.#phase === 'open') this.#phase = 'closed';
      this.#closing = this.#close();
    }
    return this.#closing;
  }

  async #open(context: BackendContext): Promise<readonly RecoveredJob[]> {
    this.#clock = context.clock;
    this.#report = context.report;
    try {
      const connection = await openConnection(this.#config, context.clock.now());
      try {
        const table = new JobTable(connection);
        const { jobs: recovered, nextSeq } = recoverJobs(table, this.#stored, context.report);
        this.#batch.clear(nextSeq);
        this.#table = table;
        this.#leases = new LeaseRenewal(
          this.#config.lease,
          context.clock,
          this.#config.timers ?? context.timers ?? systemTimers,
          (id) => {
            this.#batch.lease(id);
            this.#wrote();
          },
        );
        this.#phase = 'open';
        return recovered;
      } catch (error) {
        connection.close();
        throw error instanceof JobBackendError
          ? error
          : new JobBackendError(
              `sqliteBackend could not read the jobs stored in ${connection.file}: ${(error as Error).message}`,
              { cause: error },
            );
      }
    } catch (error) {
      this.#phase = 'closed';
      throw error;
    }
  }

  /** A write joined the batch: commit it at the end of this turn, or now when it is full. */
  #wrote(): void {
    if (this.#batch.size >= this.#config.batchSize) this.#commit();
    else if (!this.#commitQueued) {
      this.#commitQueued = true;
      globalThis.setImmediate(this.#queuedCommit);
    }
  }

  /**
   * Commits the batch; settles its new jobs; reports a failure of the rest. The batch object is
   * reused: it is emptied before anything that may call back into the backend (the report).
   */
  #commit(): void {
    const batch = this.#batch;
    const table = this.#table;
    if (batch.empty || table === undefined) return;
    const nextSeq = batch.nextSeq;
    let failure: unknown;
    try {
      table.write(batch, this.#leaseOf, this.#seqOf);
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) {
      batch.settle(undefined);
      batch.clear(nextSeq);
      return;
    }
    const reason = failure instanceof Error ? failure.message : String(failure);
    // Nothing of the batch was written: its new jobs are not stored, its finished ones still are.
    for (const id of batch.addedIds()) this.#stored.delete(id);
    for (const [index, seq] of batch.removes.entries()) {
      this.#stored.set(batch.removedIds[index] as string, seq);
    }
    const adds = batch.adds;
    const updates = batch.updates;
    if (adds !== 0) {
      batch.settle(
        new JobBackendError(
          `sqliteBackend could not commit ${adds} new job(s) to ${table.connection.file}: ${reason}; they were not queued`,
          { cause: failure },
        ),
      );
    }
    batch.clear(nextSeq);
    if (updates === 0) return;
    this.#report(
      new JobBackendError(
        `sqliteBackend could not commit ${updates} job update(s) (starts, retries, completions) to ${table.connection.file}: ${reason}; after a restart those jobs may run again`,
        { cause: failure },
      ),
      'commit job updates',
    );
  }

  async #close(): Promise<void> {
    await this.#opening;
    this.#phase = 'closed';
    this.#leases?.stop();
    const table = this.#table;
    if (table === undefined) return;
    this.#commit();
    try {
      table.connection.close();
    } catch (error) {
      this.#report(
        new JobBackendError(
          `sqliteBackend could not close ${table.connection.file}: ${(error as Error).message}`,
          { cause: error },
        ),
        'close',
      );
    }
  }

  #notOpen(id: string): JobBackendError {
    return new JobBackendError(
      this.#phase === 'closed' || this.#closing !== undefined
        ? `sqliteBackend is closed; job ${id} was not stored`
        : `sqliteBackend is not open yet; job ${id} was not stored (the runner opens its backend first)`,
    );
  }
}
