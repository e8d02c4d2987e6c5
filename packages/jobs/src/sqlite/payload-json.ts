import type { StoredJob } from '../backend.js';
import { JobBackendError } from '../errors.js';

/**
 * @internal A job's payload as the table keeps it: JSON text, `null` for an undefined payload,
 * or the error for a payload JSON cannot hold (a BigInt, a cycle, a function), which the backend
 * refuses at `add` rather than failing its batch.
 */
export function payloadJson(job: StoredJob): string | null | JobBackendError {
  if (job.payload === undefined) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(job.payload);
  } catch (error) {
    return unserialisable(job, (error as Error).message, error);
  }
  return json === undefined ? unserialisable(job, `got a ${typeof job.payload}`) : json;
}

function unserialisable(job: StoredJob, reason: string, cause?: unknown): JobBackendError {
  return new JobBackendError(
    `sqliteBackend stores payloads as JSON, and the payload of the '${job.type}' job ${job.id} cannot be serialised (${reason}); pass plain data`,
    cause === undefined ? undefined : { cause },
  );
}
