import type { AttemptRecord, RecoveredJob } from '../backend.js';
import { MAX_PRIORITY } from '../priority.js';

/** @internal A `vigil_jobs` row as read, every column as SQLite answered it. */
export interface JobRow {
  readonly seq: unknown;
  readonly id: unknown;
  readonly type: unknown;
  readonly payload: unknown;
  readonly priority: unknown;
  readonly enqueued_at: unknown;
  readonly run_at: unknown;
  readonly attempts: unknown;
  readonly previous_delay: unknown;
  readonly history: unknown;
  readonly idempotency_key: unknown;
  readonly replays: unknown;
  readonly state: unknown;
  readonly lease_until: unknown;
}

/** @internal The columns in the order `JobRow` has them. */
export const JOB_COLUMNS =
  'seq, id, type, payload, priority, enqueued_at, run_at, attempts, previous_delay, history, idempotency_key, replays, state, lease_until';

/**
 * @internal A row read back at `open()`, checked column by column: the job, or what is wrong
 * with the row. Nothing in the file is trusted (it may have been edited, or written by
 * something else): a payload or history that is not JSON, a number out of range, an unknown
 * state are refused rather than handed to the runner.
 */
export function decodeJobRow(row: JobRow): RecoveredJob | string {
  const { id, type, priority, attempts, replays, state } = row;
  if (typeof id !== 'string' || id === '') return `id is ${shown(id)}, not a non-empty string`;
  if (typeof type !== 'string' || type === '') return `type is ${shown(type)}, not a job type`;
  if (
    !Number.isInteger(priority) ||
    (priority as number) < 0 ||
    (priority as number) > MAX_PRIORITY
  ) {
    return `priority is ${shown(priority)}, not an integer from 0 to ${MAX_PRIORITY}`;
  }
  for (const [column, value] of [
    ['enqueued_at', row.enqueued_at],
    ['run_at', row.run_at],
    ['previous_delay', row.previous_delay],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return `${column} is ${shown(value)}, not a time in ms`;
    }
  }
  if (!Number.isSafeInteger(attempts) || (attempts as number) < 0) {
    return `attempts is ${shown(attempts)}, not a count`;
  }
  if (!Number.isSafeInteger(replays) || (replays as number) < 0) {
    return `replays is ${shown(replays)}, not a count`;
  }
  if (row.idempotency_key !== null && typeof row.idempotency_key !== 'string') {
    return `idempotency_key is ${shown(row.idempotency_key)}, not a string or NULL`;
  }
  let leaseUntil: number | undefined;
  if (state === 'running') {
    const lease = row.lease_until;
    if (typeof lease !== 'number' || !Number.isFinite(lease)) {
      return `the job is running but lease_until is ${shown(lease)}, not a time in ms`;
    }
    leaseUntil = lease;
  } else if (state !== 'queued') {
    return `state is ${shown(state)}, not 'queued' or 'running'`;
  }
  let payload: unknown;
  if (row.payload !== null) {
    if (typeof row.payload !== 'string') return `payload is ${shown(row.payload)}, not JSON text`;
    try {
      payload = JSON.parse(row.payload);
    } catch (error) {
      return `payload is not JSON (${(error as Error).message})`;
    }
  }
  const history = decodeHistory(row.history);
  if (typeof history === 'string') return history;
  return {
    id,
    type,
    payload,
    priority: priority as number,
    enqueuedAt: row.enqueued_at as number,
    runAt: row.run_at as number,
    attempts: attempts as number,
    previousDelay: row.previous_delay as number,
    history,
    idempotencyKey: (row.idempotency_key as string | null) ?? undefined,
    replays: replays as number,
    leaseUntil,
  };
}

function decodeHistory(text: unknown): readonly AttemptRecord[] | string {
  if (text === '[]') return [];
  if (typeof text !== 'string') return `history is ${shown(text)}, not JSON text`;
  let history: unknown;
  try {
    history = JSON.parse(text);
  } catch (error) {
    return `history is not JSON (${(error as Error).message})`;
  }
  if (!Array.isArray(history)) return 'history is not a JSON array';
  for (const [index, record] of history.entries()) {
    if (!isAttemptRecord(record)) {
      return `history[${index}] is not an attempt record { attempt, startedAt, duration, error: { message } }`;
    }
  }
  return history as AttemptRecord[];
}

function isAttemptRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const error = record['error'] as Record<string, unknown> | null | undefined;
  return (
    Number.isSafeInteger(record['attempt']) &&
    typeof record['startedAt'] === 'number' &&
    typeof record['duration'] === 'number' &&
    typeof error === 'object' &&
    error !== null &&
    typeof error['message'] === 'string' &&
    ['name', 'code', 'stack'].every(
      (key) => error[key] === undefined || typeof error[key] === 'string',
    )
  );
}

/** A column's value in a message: strings quoted, blobs named, the rest as they print. */
function shown(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'NULL';
  if (value instanceof Uint8Array) return `a ${value.length}-byte blob`;
  return String(value);
}
