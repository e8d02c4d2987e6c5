import type { BackendContext, RecoveredJob } from '../backend.js';
import { JobBackendError } from '../errors.js';
import { decodeJobRow } from './job-row.js';
import type { JobTable } from './job-table.js';

/**
 * @internal The jobs a backend finds at `open()`, oldest first, each row checked: a malformed
 * one is reported (`'recover job'`) and skipped, and left in the table for someone to repair or
 * delete. Every id found, malformed rows' too, goes into `stored` (as from an earlier run, -1),
 * so that no new job is stored under it.
 */
export function recoverJobs(
  table: JobTable,
  stored: Map<string, number>,
  report: BackendContext['report'],
): RecoveredJob[] {
  const jobs: RecoveredJob[] = [];
  for (const row of table.rows()) {
    if (typeof row.id === 'string') stored.set(row.id, -1);
    const job = decodeJobRow(row);
    if (typeof job !== 'string') {
      jobs.push(job);
      continue;
    }
    const id = typeof row.id === 'string' ? ` ${JSON.stringify(row.id)}` : '';
    report(
      new JobBackendError(
        `sqliteBackend skipped the malformed job${id} in ${table.connection.file}: ${job}. It stays in vigil_jobs, unrun, until it is repaired or deleted`,
      ),
      'recover job',
    );
  }
  return jobs;
}
