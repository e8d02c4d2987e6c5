import type { BackendContext, RecoveredJob } from '../backend.js';
import { JobBackendError } from '../errors.js';
import { decodeJobRow } from './job-row.js';
import type { JobTable } from './job-table.js';

/**
 * @internal The jobs a backend finds at `open()`, in the order they were stored, each row
 * checked: a malformed one is reported (`'recover job'`) and skipped, and left in the table for
 * someone to repair or delete. Every id found goes into `stored` with its row's seq (a malformed
 * row's too, so that no new job is stored under it; a second row with an id is skipped). Answers
 * the jobs and the seq the next insert takes.
 */
export function recoverJobs(
  table: JobTable,
  stored: Map<string, number>,
  report: BackendContext['report'],
): { readonly jobs: RecoveredJob[]; readonly nextSeq: number } {
  const jobs: RecoveredJob[] = [];
  let lastSeq = 0;
  for (const row of table.rows()) {
    const seq = row.seq as number;
    lastSeq = Math.max(lastSeq, seq);
    const duplicate = typeof row.id === 'string' && stored.has(row.id);
    if (typeof row.id === 'string' && !duplicate) stored.set(row.id, seq);
    const job = duplicate ? 'another row holds the same id' : decodeJobRow(row);
    if (typeof job !== 'string') {
      jobs.push(job);
      continue;
    }
    const id = typeof row.id === 'string' ? ` ${JSON.stringify(row.id)}` : '';
    report(
      new JobBackendError(
        `sqliteBackend skipped the malformed job${id} (row ${seq}) in ${table.connection.file}: ${job}. It stays in vigil_jobs, unrun, until it is repaired or deleted`,
      ),
      'recover job',
    );
  }
  return { jobs, nextSeq: lastSeq + 1 };
}
