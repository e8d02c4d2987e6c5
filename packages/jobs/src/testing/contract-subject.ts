import type { ManualClock } from '@vigil/core/testing';
import type { JobRunner } from '../job-runner.js';
import type { JobRunnerOptions, JobTypes } from '../job-runner-options.js';

/** What a backend's test hands the contract kit, fresh for every test. */
export interface JobBackendSubject {
  /**
   * Makes a runner on the backend under test with the kit's options (types, concurrency, aging,
   * and with `time: 'manual'` the kit's clock and timers): add your backend (a new client of the
   * same storage each call, so a runner made after another closed sees what it kept) and return
   * `new JobRunner({ ...options, backend })`.
   */
  runner<T extends JobTypes>(options: JobRunnerOptions<T>): JobRunner<T>;
  /** Whether jobs survive a runner's `close()` and run in the next runner. */
  readonly durable: boolean;
  /**
   * `'manual'`: the runners use the kit's manual clock for delays and backoffs. `'real'`: the
   * backend keeps its own time (BullMQ on Redis), and the kit waits real, short delays.
   */
  readonly time: 'manual' | 'real';
  /** Removes the backend's data. The kit has closed every runner it made. */
  cleanup(): Promise<void>;
}

/** Options of `describeJobBackendContract`. */
export interface JobBackendContractOptions {
  /** A fresh subject on empty storage, before each test; `clock` is a `manualClock()`. */
  readonly setup: (clock: ManualClock) => Promise<JobBackendSubject>;
  /** Per-test timeout in ms for slow backends; default vitest's. */
  readonly timeout?: number;
}
