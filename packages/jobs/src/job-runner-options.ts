import {
  type Clock,
  type DurationInput,
  type OnError,
  type Registry,
  systemClock,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalNumber,
  optionalOnError,
  optionalRegistry,
  optionalString,
  optionalTimers,
} from '@vigil/core/options';
import type { DeadLetterStore, IdempotencyStore, LeaseStore, RecordStore } from '@vigil/storage';
import type { PerformanceTracker } from '@vigil/timers';
import type { JobBackend } from './backend.js';
import { type JobTypeOptions, type TypeConfig, typeConfig } from './job-type-options.js';
import { keepAliveTimers } from './keep-alive-timers.js';
import { isQueueBackend, type QueueBackend } from './queue-backend.js';

/** The job types a runner knows, by name. */
// biome-ignore lint/suspicious/noExplicitAny: each type has its own payload and result types.
export type JobTypes = Record<string, JobTypeOptions<any, any>>;

/** The automatic replay of dead letters, as the in-house job optimizer had it. */
export interface AutoReplayOptions {
  /** How often letters are looked at, and the first delay before a replay; default `'1h'`. */
  every?: DurationInput | undefined;
  /** Replays per letter before it stays dead; default 5. */
  maxReplays?: number | undefined;
  /** Growth of the delay per replay (`every × factor^replays`); default 2. */
  factor?: number | undefined;
}

/** Dead-letter queue settings. */
export interface DeadLetterOptions {
  /** Letters older than this are purged (hourly); default `'30d'`; `false`: kept until dropped by the cap. */
  retention?: DurationInput | false | undefined;
  /** Replays letters automatically with exponential backoff; default: off. */
  autoReplay?: AutoReplayOptions | boolean | undefined;
}

/**
 * Where the runner keeps dead letters and idempotency keys, and the scheduler its lease and
 * schedule records: a `Store` from `@vigil/storage` or an adapter (memory, SQLite, Redis,
 * PostgreSQL). `leases` and `records` are needed only by `schedule()`.
 */
export interface JobStore {
  readonly deadLetters: DeadLetterStore;
  readonly idempotency: IdempotencyStore;
  readonly leases?: LeaseStore | undefined;
  readonly records?: RecordStore | undefined;
}

/** Options of the runner's scheduler (`jobs.schedule()`). */
export interface SchedulerOptions {
  /**
   * TTL of the scheduler lease, renewed every third of it: when the leader dies, another
   * instance fires the ticks within this long. Default `'30s'`.
   */
  lease?: DurationInput | undefined;
  /** Runs kept per schedule in `status()`; default 20. */
  history?: number | undefined;
  /** This instance's name in the lease; default host name, process id and a random suffix. */
  owner?: string | undefined;
}

/**
 * Options of `new JobRunner(options)`. Every optional field also takes `undefined` (its
 * default), so options can be passed through from configuration.
 */
export interface JobRunnerOptions<T extends JobTypes = JobTypes> {
  /** The job types, by name, each with its handler and policies. */
  types: T;
  /** Jobs running at once across every type; default 10. Each type's `concurrency` defaults to it. */
  concurrency?: number | undefined;
  /**
   * Where queued jobs live: `memoryBackend()` (the default), `sqliteBackend()` from
   * `@vigil/jobs/sqlite` (one process, durable), or `bullmqBackend()` from `@vigil/jobs/bullmq`
   * (a queue on Redis shared by every instance).
   */
  backend?: JobBackend | QueueBackend | undefined;
  /** Dead letters and idempotency keys; default: a `MemoryStore` the runner owns (and closes). */
  store?: JobStore | undefined;
  /** Keep the `vigil_job*` metrics in this registry. */
  registry?: Registry | undefined;
  /**
   * The `PerformanceTracker` each type's run durations feed (operation `job:<type>`): baselines,
   * regressions, bottlenecks, trend. Default: one of the runner's own, with bottlenecks at 60 s
   * (medium) and 120 s (high); `false`: none.
   */
  tracker?: PerformanceTracker | false | undefined;
  /**
   * Aging against starvation: a queued job's priority rises by one step (the distance between
   * `'low'` and `'medium'`) for every `aging` it has waited. Default `'30s'`; `false`: off.
   */
  aging?: DurationInput | false | undefined;
  /** Retention and automatic replay of the dead-letter queue. */
  deadLetters?: DeadLetterOptions | undefined;
  /** The scheduler's lease and history (`jobs.schedule()`). */
  scheduler?: SchedulerOptions | undefined;
  /** Wall clock in ms: enqueue and start times, delays, rate limits, leases. Default `Date.now()`. */
  clock?: Clock | undefined;
  /**
   * Where delays, backoffs, timeouts and rate-limit waits are scheduled. Default: the global
   * `setTimeout`, kept alive while jobs are waiting (a script awaiting a job in backoff does not
   * exit); background sweeps never keep the process alive.
   */
  timers?: Timers | undefined;
  /**
   * Told about failures that must not throw into the host: a throwing event listener, a backend
   * write that failed after the job was accepted, a dead-letter sweep. Default: a `VigilWarning`
   * (`VIGIL_BACKGROUND_ERROR`) once per kind of failure.
   */
  onError?: OnError | undefined;
}

/** @internal The runner's options, checked, with defaults. */
export interface RunnerConfig {
  readonly types: ReadonlyMap<string, TypeConfig>;
  readonly concurrency: number;
  readonly backend: JobBackend | QueueBackend | undefined;
  readonly store: JobStore | undefined;
  readonly registry: Registry | undefined;
  readonly tracker: PerformanceTracker | false | undefined;
  readonly aging: number;
  readonly retention: number | undefined;
  readonly autoReplay:
    | { readonly every: number; readonly maxReplays: number; readonly factor: number }
    | undefined;
  readonly scheduler: {
    readonly lease: number;
    readonly history: number;
    readonly owner: string | undefined;
  };
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

const OWNER = 'JobRunner';
const KEYS = [
  'types',
  'concurrency',
  'backend',
  'store',
  'registry',
  'tracker',
  'aging',
  'deadLetters',
  'scheduler',
  'clock',
  'timers',
  'onError',
] as const satisfies readonly (keyof JobRunnerOptions)[];

/** @internal Checks the options once, at construction. */
export function runnerConfig(options: JobRunnerOptions | undefined): RunnerConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const concurrency = optionalInteger(OWNER, 'concurrency', given.concurrency, { min: 1 }) ?? 10;
  const deadLetters = checkOptionsObject(`${OWNER}: deadLetters`, given.deadLetters, [
    'retention',
    'autoReplay',
  ]);
  return {
    types: checkTypes(given.types, concurrency),
    concurrency,
    backend: checkBackend(given.backend),
    store: checkStore(given.store),
    registry: optionalRegistry<Registry>(OWNER, 'registry', given.registry),
    tracker: checkTracker(given.tracker),
    aging:
      given.aging === false
        ? Number.POSITIVE_INFINITY
        : (optionalDuration(OWNER, 'aging', given.aging, { positive: true }) ?? 30_000),
    retention:
      deadLetters.retention === false
        ? undefined
        : (optionalDuration(OWNER, 'deadLetters.retention', deadLetters.retention, {
            positive: true,
            max: Number.MAX_SAFE_INTEGER,
          }) ?? 30 * 86_400_000),
    autoReplay: checkAutoReplay(deadLetters.autoReplay),
    scheduler: checkScheduler(given.scheduler),
    clock: optionalClock(OWNER, 'clock', given.clock) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', given.timers) ?? keepAliveTimers,
    onError: optionalOnError(OWNER, 'onError', given.onError),
  };
}

function checkTypes(types: unknown, concurrency: number): ReadonlyMap<string, TypeConfig> {
  if (typeof types !== 'object' || types === null || Array.isArray(types)) {
    throw invalidOption(
      OWNER,
      `types should be an object of job types by name, such as { email: { handler } }, got ${describeValue(types)}`,
    );
  }
  const configs = new Map<string, TypeConfig>();
  for (const [name, options] of Object.entries(types)) {
    configs.set(name, typeConfig(OWNER, name, options, concurrency));
  }
  if (configs.size === 0) throw invalidOption(OWNER, 'types should name at least one job type');
  return configs;
}

function checkBackend(backend: unknown): JobBackend | QueueBackend | undefined {
  if (backend === undefined) return undefined;
  if (isQueueBackend(backend) && hasMethods(backend, ['open'])) return backend;
  if (!hasMethods(backend, ['open', 'add', 'started', 'retrying', 'finished', 'close'])) {
    throw invalidOption(
      OWNER,
      `backend should be memoryBackend(), sqliteBackend() from @vigil/jobs/sqlite or bullmqBackend() from @vigil/jobs/bullmq, got ${describeValue(backend)}`,
    );
  }
  return backend as JobBackend;
}

function checkStore(store: unknown): JobStore | undefined {
  if (store === undefined) return undefined;
  const candidate = store as Partial<JobStore> | null;
  if (
    !hasMethods(candidate?.deadLetters, ['add', 'get', 'list', 'remove', 'count', 'purge']) ||
    !hasMethods(candidate?.idempotency, ['claim', 'update', 'get', 'release'])
  ) {
    throw invalidOption(
      OWNER,
      `store should be a Store from @vigil/storage or an adapter (with deadLetters and idempotency), got ${describeValue(store)}`,
    );
  }
  return store as JobStore;
}

function checkTracker(tracker: unknown): PerformanceTracker | false | undefined {
  if (tracker === undefined || tracker === false) return tracker;
  if (!hasMethods(tracker, ['record', 'stats', 'close'])) {
    throw invalidOption(
      OWNER,
      `tracker should be a PerformanceTracker from @vigil/timers or false, got ${describeValue(tracker)}`,
    );
  }
  return tracker as PerformanceTracker;
}

function checkScheduler(scheduler: unknown): RunnerConfig['scheduler'] {
  const given = checkOptionsObject(`${OWNER}: scheduler`, scheduler, ['lease', 'history', 'owner']);
  return {
    lease: optionalDuration(OWNER, 'scheduler.lease', given.lease, { positive: true }) ?? 30_000,
    history:
      optionalInteger(OWNER, 'scheduler.history', given.history, { min: 1, max: 1_000 }) ?? 20,
    owner: optionalString(OWNER, 'scheduler.owner', given.owner),
  };
}

function checkAutoReplay(autoReplay: unknown): RunnerConfig['autoReplay'] {
  if (autoReplay === undefined || autoReplay === false) return undefined;
  const given =
    autoReplay === true
      ? {}
      : checkOptionsObject(`${OWNER}: deadLetters.autoReplay`, autoReplay, [
          'every',
          'maxReplays',
          'factor',
        ]);
  const field = 'deadLetters.autoReplay';
  return {
    every: optionalDuration(OWNER, `${field}.every`, given.every, { positive: true }) ?? 3_600_000,
    maxReplays: optionalInteger(OWNER, `${field}.maxReplays`, given.maxReplays, { min: 1 }) ?? 5,
    factor: optionalNumber(OWNER, `${field}.factor`, given.factor, { min: 1 }) ?? 2,
  };
}
