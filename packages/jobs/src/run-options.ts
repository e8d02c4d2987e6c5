import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalDuration,
  optionalString,
} from '@vigil/core/options';
import { type JobPriority, priorityValue } from './priority.js';

/** Options of one `run` or `enqueue`. Every field also takes `undefined` (its default). */
export interface RunOptions {
  /** Start no sooner than this from now, e.g. `'5m'`. Not with `runAt`. */
  delay?: DurationInput | undefined;
  /** Start no sooner than this time (a `Date` or ms since the epoch). Not with `delay`. */
  runAt?: Date | number | undefined;
  /** This job's priority; default: its type's. */
  priority?: JobPriority | undefined;
  /**
   * While the key lives (the type's `idempotencyTtl`), every call with it gets the same job and
   * the same result, and the handler runs once. A job that ends in the dead-letter queue frees
   * its key, so a later call can try again.
   */
  idempotencyKey?: string | undefined;
}

/** @internal A call's options, checked. */
export interface CheckedRunOptions {
  readonly runAt: number;
  readonly priority: number | undefined;
  readonly idempotencyKey: string | undefined;
}

const KEYS = [
  'delay',
  'runAt',
  'priority',
  'idempotencyKey',
] as const satisfies readonly (keyof RunOptions)[];

/** @internal Checks a call's options; `now` from the runner's clock. */
export function checkRunOptions(owner: string, options: unknown, now: number): CheckedRunOptions {
  const given = checkOptionsObject(owner, options, KEYS);
  const delay = optionalDuration(owner, 'delay', given.delay, { max: Number.MAX_SAFE_INTEGER });
  const runAt = runAtOf(owner, given.runAt);
  if (delay !== undefined && runAt !== undefined) {
    throw invalidOption(owner, 'give delay or runAt, not both');
  }
  const key = optionalString(owner, 'idempotencyKey', given.idempotencyKey);
  if (key !== undefined && (key === '' || key.length > 500)) {
    throw invalidOption(
      owner,
      `idempotencyKey should be 1 to 500 characters, got ${describeValue(key)}`,
    );
  }
  return {
    runAt: runAt ?? now + (delay ?? 0),
    priority:
      given.priority === undefined ? undefined : priorityValue(owner, 'priority', given.priority),
    idempotencyKey: key,
  };
}

function runAtOf(owner: string, runAt: unknown): number | undefined {
  if (runAt === undefined) return undefined;
  const time = runAt instanceof Date ? runAt.getTime() : runAt;
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw invalidOption(
      owner,
      `runAt should be a Date or ms since the epoch, got ${describeValue(runAt)}`,
    );
  }
  return time;
}
