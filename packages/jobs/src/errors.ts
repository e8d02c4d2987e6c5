import { VigilError } from '@vigil/core';

/**
 * Every stable error code thrown by `@vigil/jobs`, besides core's `INVALID_OPTION` and
 * `INVALID_DURATION` (thrown as core's `ConfigurationError` for bad options) and resilience's
 * `TIMEOUT` (an attempt past its type's `timeout`). Each one is explained in `docs/errors.md`.
 */
export const JOBS_ERROR_CODES = [
  'UNKNOWN_JOB_TYPE',
  'INVALID_PAYLOAD',
  'RUNNER_CLOSED',
  'JOB_CANCELLED',
  'UNRECOVERABLE',
  'DEAD_LETTER_NOT_FOUND',
  'JOB_BACKEND_FAILED',
  'JOB_FAILED',
  'JOB_STALLED',
] as const;

/** A stable error code thrown by `@vigil/jobs`. */
export type JobsErrorCode = (typeof JOBS_ERROR_CODES)[number];

/** `run` or `enqueue` named a type the runner was not given. */
export class UnknownJobTypeError extends VigilError {
  static override readonly brand = 'vigil.jobs.UnknownJobTypeError';
  declare readonly code: 'UNKNOWN_JOB_TYPE';
  readonly type: string;

  constructor(type: unknown, known: readonly string[]) {
    super(
      'UNKNOWN_JOB_TYPE',
      `unknown job type ${JSON.stringify(type)}; the runner knows ${known.map((name) => `'${name}'`).join(', ')}`,
    );
    this.name = 'UnknownJobTypeError';
    this.type = String(type);
  }
}

/** One problem a type's `schema` found in a payload. */
export interface PayloadIssue {
  readonly message: string;
  /** Where in the payload, as Standard Schema reports it. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** A payload failed its type's `schema`: the job was not queued. */
export class InvalidPayloadError extends VigilError {
  static override readonly brand = 'vigil.jobs.InvalidPayloadError';
  declare readonly code: 'INVALID_PAYLOAD';
  readonly type: string;
  readonly issues: readonly PayloadIssue[];

  constructor(type: string, issues: readonly PayloadIssue[]) {
    const first = issues[0];
    const path = first?.path?.map((segment) =>
      typeof segment === 'object' ? String(segment.key) : String(segment),
    );
    const where = path?.length ? ` at ${path.join('.')}` : '';
    super(
      'INVALID_PAYLOAD',
      `the payload of a '${type}' job does not match the type's schema${where}: ${first?.message ?? 'invalid'}`,
    );
    this.name = 'InvalidPayloadError';
    this.type = type;
    this.issues = issues;
  }
}

/** `run` or `enqueue` after `close()` began. */
export class RunnerClosedError extends VigilError {
  static override readonly brand = 'vigil.jobs.RunnerClosedError';
  declare readonly code: 'RUNNER_CLOSED';

  constructor() {
    super('RUNNER_CLOSED', 'the job runner is closed (or closing) and takes no new jobs');
    this.name = 'RunnerClosedError';
  }
}

/**
 * A job did not finish in this runner: `close()` dropped it from the memory backend, or left it
 * in the durable backend for the next start (`kept` true); or the job another runner held under
 * the same idempotency key ended without a result this runner can see. The `result` promise
 * rejects with it.
 */
export class JobCancelledError extends VigilError {
  static override readonly brand = 'vigil.jobs.JobCancelledError';
  declare readonly code: 'JOB_CANCELLED';
  readonly jobId: string;
  /** True when a durable backend keeps the job for the next start. */
  readonly kept: boolean;

  constructor(jobId: string, kept: boolean, reason?: string) {
    super(
      'JOB_CANCELLED',
      reason ??
        (kept
          ? `job ${jobId} did not finish before the runner closed; the backend keeps it for the next start`
          : `job ${jobId} was dropped: the runner closed before it ran, and the memory backend keeps nothing`),
    );
    this.name = 'JobCancelledError';
    this.jobId = jobId;
    this.kept = kept;
  }
}

/**
 * Throw it from a handler to fail the job at once, without the remaining attempts: it goes
 * straight to the dead-letter queue. `cause` keeps the original error.
 */
export class UnrecoverableError extends VigilError {
  static override readonly brand = 'vigil.jobs.UnrecoverableError';
  declare readonly code: 'UNRECOVERABLE';

  constructor(message: string, options?: ErrorOptions) {
    super('UNRECOVERABLE', message, options);
    this.name = 'UnrecoverableError';
  }
}

/** `deadLetters.replay` named an id the dead-letter queue does not hold. */
export class DeadLetterNotFoundError extends VigilError {
  static override readonly brand = 'vigil.jobs.DeadLetterNotFoundError';
  declare readonly code: 'DEAD_LETTER_NOT_FOUND';
  readonly id: string;

  constructor(id: string) {
    super('DEAD_LETTER_NOT_FOUND', `no dead letter with id ${JSON.stringify(id)}`);
    this.name = 'DeadLetterNotFoundError';
    this.id = id;
  }
}

/** A durable backend failed to store or read jobs; `cause` is the driver's error. */
export class JobBackendError extends VigilError {
  static override readonly brand = 'vigil.jobs.JobBackendError';
  declare readonly code: 'JOB_BACKEND_FAILED';

  constructor(message: string, options?: ErrorOptions) {
    super('JOB_BACKEND_FAILED', message, options);
    this.name = 'JobBackendError';
  }
}

/**
 * A job on a shared queue (BullMQ) failed for good, and the caller waiting for it is not the
 * process that ran it: the queue carries the error's message only. The job is in the
 * dead-letter queue, with the whole error and its attempts.
 */
export class JobFailedError extends VigilError {
  static override readonly brand = 'vigil.jobs.JobFailedError';
  declare readonly code: 'JOB_FAILED';
  readonly jobId: string;

  constructor(jobId: string, message: string) {
    super('JOB_FAILED', message);
    this.name = 'JobFailedError';
    this.jobId = jobId;
  }
}

/**
 * A job on a shared queue was recovered from dead workers more often than `maxStalls` allows: it
 * went to the dead-letter queue (reason `'stalled'`) without running again.
 */
export class JobStalledError extends VigilError {
  static override readonly brand = 'vigil.jobs.JobStalledError';
  declare readonly code: 'JOB_STALLED';
  readonly jobId: string;

  constructor(jobId: string, stalls: number) {
    super(
      'JOB_STALLED',
      `job ${jobId} was running in a worker that stopped, ${stalls} times; it went to the dead-letter queue instead of running again (maxStalls)`,
    );
    this.name = 'JobStalledError';
    this.jobId = jobId;
  }
}
