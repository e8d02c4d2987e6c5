import { describe, expect, it } from 'vitest';
import * as bullmq from '../src/bullmq/index.js';
import * as jobs from '../src/index.js';
import * as sqlite from '../src/sqlite/index.js';
import * as testing from '../src/testing/index.js';

describe('the public face', () => {
  it('exports exactly the public values, nothing internal', () => {
    expect(Object.keys(jobs).sort()).toEqual([
      'DeadLetterNotFoundError',
      'DeadLetterQueue',
      'InvalidPayloadError',
      'JOBS_ERROR_CODES',
      'JobBackendError',
      'JobCancelledError',
      'JobFailedError',
      'JobHandle',
      'JobRunner',
      'JobStalledError',
      'MAX_PRIORITY',
      'PRIORITY_VALUES',
      'RunnerClosedError',
      'SCHEDULER_LEASE',
      'UnknownJobTypeError',
      'UnrecoverableError',
      'jobsHealthCheck',
      'jobsRoutes',
      'memoryBackend',
    ]);
    expect(Object.keys(sqlite).sort()).toEqual(['sqliteBackend']);
    expect(Object.keys(bullmq).sort()).toEqual(['bullmqBackend']);
    expect(Object.keys(testing).sort()).toEqual(['describeJobBackendContract']);
  });
});
