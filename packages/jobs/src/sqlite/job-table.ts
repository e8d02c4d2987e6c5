import type { JobConnection, SqliteStatement } from './job-connection.js';
import { JOB_COLUMNS, type JobRow } from './job-row.js';
import { INSERT_PARAMS, type WriteBatch } from './write-batch.js';

/** The most rows one INSERT or DELETE statement writes; a batch uses several. */
const CHUNK = 64;
const INSERT_COLUMNS = JOB_COLUMNS.split(', ').slice(0, INSERT_PARAMS).join(', ');
const INSERT_ROW = `(${Array.from({ length: INSERT_PARAMS }, () => '?').join(', ')})`;

/**
 * @internal The statements on `vigil_jobs`, prepared once per backend: a batch's writes, and
 * the read at `open()`. Insertions and deletions go by up to 64 rows per statement (one
 * statement per power-of-two chunk size), which is what lets a commit of a thousand jobs take a
 * few milliseconds.
 */
export class JobTable {
  readonly connection: JobConnection;
  readonly #inserts = new Map<number, SqliteStatement>();
  readonly #deletes = new Map<number, SqliteStatement>();
  readonly #chunks = new Map<SqliteStatement, unknown[]>();
  readonly #retry: SqliteStatement;
  readonly #lease: SqliteStatement;

  constructor(connection: JobConnection) {
    this.connection = connection;
    this.#retry = connection.statement(
      "UPDATE vigil_jobs SET state = 'queued', lease_until = NULL, attempts = ?, run_at = ?, previous_delay = ?, history = ? WHERE seq = ?",
    );
    this.#lease = connection.statement(
      "UPDATE vigil_jobs SET state = 'running', lease_until = ? WHERE seq = ?",
    );
  }

  /**
   * Writes a batch in one transaction (`BEGIN IMMEDIATE` … `COMMIT`): deletions, insertions,
   * retries, then the lease of each job started or renewed and still running (`leaseOf`), in
   * its row (`seqOf`).
   *
   * @throws the driver's error; nothing of the batch is written then.
   */
  write(
    batch: WriteBatch,
    leaseOf: (id: string) => number | undefined,
    seqOf: (id: string) => number | undefined,
  ): void {
    this.connection.write(batch.acknowledges, () => {
      this.#chunked(batch.removes, 1, this.#deletes, deleteSql);
      this.#chunked(batch.insertParams(), INSERT_PARAMS, this.#inserts, insertSql);
      for (const [seq, retry] of batch.retries) {
        this.#retry.run(retry.attempts, retry.runAt, retry.previousDelay, retry.history, seq);
      }
      for (const id of batch.leased) {
        const leaseUntil = leaseOf(id);
        const seq = leaseUntil === undefined ? undefined : seqOf(id);
        if (seq !== undefined) this.#lease.run(leaseUntil, seq);
      }
    });
  }

  /** Every stored row, oldest first. */
  rows(): JobRow[] {
    return this.connection
      .statement(`SELECT ${JOB_COLUMNS} FROM vigil_jobs ORDER BY seq`)
      .all() as JobRow[];
  }

  /** Runs `sql(rows)` over `params` (`width` per row), in chunks of at most `CHUNK` rows. */
  #chunked(
    params: unknown[],
    width: number,
    cache: Map<number, SqliteStatement>,
    sql: (rows: number) => string,
  ): void {
    const total = params.length / width;
    let done = 0;
    while (done < total) {
      let rows = CHUNK;
      while (rows > total - done) rows >>= 1;
      let statement = cache.get(rows);
      if (statement === undefined) {
        statement = this.connection.statement(sql(rows));
        cache.set(rows, statement);
      }
      if (rows === total) statement.run(params);
      else {
        // One reused array per statement: the driver binds it synchronously.
        let chunk = this.#chunks.get(statement);
        if (chunk === undefined) {
          chunk = new Array(rows * width);
          this.#chunks.set(statement, chunk);
        }
        const offset = done * width;
        for (let i = 0; i < chunk.length; i++) chunk[i] = params[offset + i];
        statement.run(chunk);
      }
      done += rows;
    }
  }
}

function insertSql(rows: number): string {
  return `INSERT INTO vigil_jobs (${INSERT_COLUMNS}, state) VALUES ${Array.from({ length: rows }, () => `${INSERT_ROW.slice(0, -1)}, 'queued')`).join(', ')}`;
}

function deleteSql(rows: number): string {
  return `DELETE FROM vigil_jobs WHERE seq IN (${Array.from({ length: rows }, () => '?').join(', ')})`;
}
