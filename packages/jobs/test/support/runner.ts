import { type ManualClock, manualClock } from '@vigil/core/testing';
import { JobRunner, type JobRunnerOptions, type JobTypes } from '../../src/index.js';

/** Lets promise callbacks and `setImmediate` work run (several rounds, for chained awaits). */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves the manual clock on and lets what it woke run. */
export async function tick(clock: ManualClock, ms: number): Promise<void> {
  await flush();
  clock.advance(ms);
  await flush();
}

/** A runner on a manual clock (clock and timers), with the given types and options. */
export function runnerOnClock<T extends JobTypes>(
  types: T,
  options: Omit<JobRunnerOptions<T>, 'types'> = {},
): { jobs: JobRunner<T>; clock: ManualClock } {
  const clock = manualClock();
  const jobs = new JobRunner<T>({ clock, timers: clock, ...options, types });
  return { jobs, clock };
}

/** A promise with its resolve and reject, for handlers the test finishes. */
export { deferred as gate } from '@vigil/test-support';
