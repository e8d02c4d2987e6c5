import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalBoolean,
  optionalChoice,
  optionalFunction,
  optionalString,
} from '@vigil/core/options';
import { type JobPriority, priorityValue } from '../priority.js';

/** What a schedule does when its previous run has not finished at the next tick. */
export type OverlapPolicy = 'skip' | 'queue';
/** What a schedule does with ticks missed while no instance was running. */
export type MissedPolicy = 'skip' | 'run-once';

/** Options of `jobs.schedule(name, cron, options)`. Optional fields also take `undefined`. */
export interface ScheduleOptions {
  /** The job type each tick queues. Give `type` or `run`. */
  type?: string | undefined;
  /**
   * A task the leader runs itself at each tick, with the tick's time, instead of queuing a job:
   * for the host's own hourly, daily and weekly chores (`'@hourly'`, `'@daily'`, `'@weekly'`).
   * Its failures go to the runner's `onError` and the schedule's history. Give `type` or `run`.
   */
  run?: ((tick: Date) => unknown) | undefined;
  /**
   * The payload of every tick's job; default `undefined`. A function is called with the tick's
   * time (a `Date`) at each tick for the payload, e.g. `(tick) => ({ day: tick.toISOString() })`.
   */
  payload?: unknown;
  /** The IANA time zone the cron pattern is read in, e.g. `'Europe/Paris'`; default the host's. */
  timezone?: string | undefined;
  /**
   * A tick while the previous tick's job (in this process) has not finished: `'skip'` (default)
   * records it as skipped; `'queue'` queues it anyway.
   */
  overlap?: OverlapPolicy | undefined;
  /**
   * Ticks missed while no instance was running (longer than the failover window): `'skip'`
   * (default) drops them; `'run-once'` runs the latest of them once, at start.
   */
  missed?: MissedPolicy | undefined;
  /** The jobs' priority; default: the type's. */
  priority?: JobPriority | undefined;
  /** Start paused; default false. */
  paused?: boolean | undefined;
}

/** @internal A schedule's options, checked. */
export interface ScheduleConfig {
  readonly name: string;
  readonly cron: string;
  /** The job type, or undefined for a task (`run`). */
  readonly type: string | undefined;
  readonly run: ((tick: Date) => unknown) | undefined;
  readonly payload: unknown;
  readonly timezone: string | undefined;
  readonly overlap: OverlapPolicy;
  readonly missed: MissedPolicy;
  readonly priority: number | undefined;
  readonly paused: boolean;
}

const OWNER = 'JobRunner.schedule';
const KEYS = [
  'type',
  'run',
  'payload',
  'timezone',
  'overlap',
  'missed',
  'priority',
  'paused',
] as const satisfies readonly (keyof ScheduleOptions)[];

/** @internal Checks a schedule's name and options; the cron pattern is checked by croner. */
export function scheduleConfig(
  name: unknown,
  cron: unknown,
  options: unknown,
  knownTypes: readonly string[],
): ScheduleConfig {
  if (typeof name !== 'string' || name === '' || name.length > 200) {
    throw invalidOption(OWNER, `name should be 1 to 200 characters, got ${describeValue(name)}`);
  }
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw invalidOption(
      OWNER,
      `cron should be a cron pattern such as '0 2 * * *', got ${describeValue(cron)}`,
    );
  }
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const run = optionalFunction<(tick: Date) => unknown>(OWNER, 'run', given.run);
  const type = optionalString(OWNER, 'type', given.type);
  if ((type === undefined) === (run === undefined)) {
    throw invalidOption(
      OWNER,
      'give type (a job type each tick queues) or run (a task the leader runs), one of them',
    );
  }
  if (type !== undefined && !knownTypes.includes(type)) {
    throw invalidOption(
      OWNER,
      `type ${JSON.stringify(type)} is not a job type of this runner; it knows ${knownTypes.join(', ')}`,
    );
  }
  return {
    name,
    cron,
    type,
    run,
    payload: given.payload,
    timezone: optionalString(OWNER, 'timezone', given.timezone),
    overlap: optionalChoice(OWNER, 'overlap', given.overlap, ['skip', 'queue']) ?? 'skip',
    missed: optionalChoice(OWNER, 'missed', given.missed, ['skip', 'run-once']) ?? 'skip',
    priority:
      given.priority === undefined ? undefined : priorityValue(OWNER, 'priority', given.priority),
    paused: optionalBoolean(OWNER, 'paused', given.paused) ?? false,
  };
}
