import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalDuration,
  optionalFunction,
  optionalInteger,
  required,
} from '@vigil/core/options';
import type { CircuitBreakerOptions, RetryOptions } from '@vigil/resilience';
import type { JobContext } from './job-context.js';
import { checkSchema, type PayloadSchema } from './payload-schema.js';
import { type JobPriority, PRIORITY_VALUES, priorityValue } from './priority.js';

/** What a type's handler does with one job. */
export type JobHandler<P = unknown, R = unknown> = (
  payload: P,
  context: JobContext,
) => R | Promise<R>;

/**
 * A type's retry policy: `@vigil/resilience`'s `Retry` options, planned by the runner (the
 * delay is stored with the job, not slept on).
 */
export type JobRetryOptions = Pick<
  RetryOptions,
  | 'maxAttempts'
  | 'initialDelay'
  | 'maxDelay'
  | 'factor'
  | 'jitter'
  | 'retryOn'
  | 'respectRetryAfter'
  | 'random'
>;

/** A type's circuit breaker: `@vigil/resilience`'s options, without what the runner sets. */
export type JobBreakerOptions = Omit<
  CircuitBreakerOptions,
  'name' | 'registry' | 'clock' | 'timers' | 'fallback' | 'onError'
>;

/** At most `max` starts of the type in any window of `interval`. */
export interface JobRateLimit {
  max: number;
  interval: DurationInput;
}

/**
 * One job type. Every optional field also takes `undefined` (its default).
 */
export interface JobTypeOptions<P = unknown, R = unknown> {
  /** Runs one attempt of a job: `(payload, { jobId, attempt, signal, progress })`. */
  handler: JobHandler<P, R>;
  /** Jobs of this type running at once; default: the runner's `concurrency`. */
  concurrency?: number | undefined;
  /** Default priority of the type's jobs; default `'medium'`. */
  priority?: JobPriority | undefined;
  /**
   * Retries. `maxAttempts` counts every attempt, the first included (default 3: one run and up
   * to two retries); backoff is exponential with full jitter from `initialDelay` (default
   * `'1s'`) to `maxDelay` (default `'5m'`). `false`: one attempt only.
   */
  retry?: JobRetryOptions | false | undefined;
  /**
   * How long one attempt may run. Past it, the attempt fails with resilience's `TimeoutError` and
   * its `signal` aborts; a handler that ignores the signal keeps its concurrency slot until it
   * settles (see the docs). Default: no timeout.
   */
  timeout?: DurationInput | undefined;
  /**
   * The type's circuit breaker (default: open after 5 consecutive failed attempts, for 60 s).
   * While it is open the type's jobs wait in the queue instead of spending attempts. `false`: none.
   */
  breaker?: JobBreakerOptions | false | undefined;
  /** At most `max` starts per `interval`; default: no limit. */
  rateLimit?: JobRateLimit | undefined;
  /** A Standard Schema v1 validator (zod, valibot, arktype) payloads must pass at the call. */
  schema?: PayloadSchema<P> | undefined;
  /** How long an idempotency key holds its job and result; default `'24h'`. */
  idempotencyTtl?: DurationInput | undefined;
}

/** @internal A type's options, checked, with defaults. */
export interface TypeConfig {
  readonly name: string;
  readonly handler: JobHandler;
  readonly concurrency: number;
  readonly priority: number;
  readonly retry: RetryOptions | undefined;
  readonly timeout: number | undefined;
  readonly breaker: JobBreakerOptions | undefined;
  readonly rateLimit: { readonly max: number; readonly interval: number } | undefined;
  readonly schema: PayloadSchema | undefined;
  readonly idempotencyTtl: number;
}

const KEYS = [
  'handler',
  'concurrency',
  'priority',
  'retry',
  'timeout',
  'breaker',
  'rateLimit',
  'schema',
  'idempotencyTtl',
] as const satisfies readonly (keyof JobTypeOptions)[];

const RETRY_DEFAULTS = { maxAttempts: 3, initialDelay: '1s', maxDelay: '5m' } as const;
const BREAKER_DEFAULTS = { failureThreshold: 5, resetTimeout: '60s' } as const;

/** @internal Checks one type's options; `owner` is `JobRunner`. */
export function typeConfig(
  owner: string,
  name: string,
  options: unknown,
  runnerConcurrency: number,
): TypeConfig {
  const field = `types.${name}`;
  if (name === '' || name.length > 200) {
    throw invalidOption(
      owner,
      `type names should be 1 to 200 characters, got ${JSON.stringify(name)}`,
    );
  }
  const given = checkOptionsObject(`${owner}: ${field}`, options, KEYS, { required: true });
  const handler = required(
    owner,
    `${field}.handler`,
    optionalFunction<JobHandler>(owner, `${field}.handler`, given.handler),
    'a function (payload, context) => result',
  );
  const rateLimit = checkRateLimit(owner, `${field}.rateLimit`, given.rateLimit);
  return {
    name,
    handler,
    concurrency:
      optionalInteger(owner, `${field}.concurrency`, given.concurrency, { min: 1 }) ??
      runnerConcurrency,
    priority:
      given.priority === undefined
        ? PRIORITY_VALUES.medium
        : priorityValue(owner, `${field}.priority`, given.priority),
    retry: checkRetry(owner, `${field}.retry`, given.retry),
    timeout: optionalDuration(owner, `${field}.timeout`, given.timeout, { positive: true }),
    breaker: checkBreaker(owner, `${field}.breaker`, given.breaker),
    rateLimit,
    schema: checkSchema(owner, `${field}.schema`, given.schema),
    idempotencyTtl:
      optionalDuration(owner, `${field}.idempotencyTtl`, given.idempotencyTtl, {
        positive: true,
        max: Number.MAX_SAFE_INTEGER,
      }) ?? 86_400_000,
  };
}

function checkRetry(owner: string, field: string, retry: unknown): RetryOptions | undefined {
  if (retry === false) return undefined;
  if (retry === undefined) return RETRY_DEFAULTS;
  if (typeof retry !== 'object' || retry === null || Array.isArray(retry)) {
    throw invalidOption(
      owner,
      `${field} should be retry options or false, got ${describeValue(retry)}`,
    );
  }
  if ('retries' in retry || 'attempts' in retry) {
    throw invalidOption(
      owner,
      `${field}: use maxAttempts, the number of attempts in all (the first included): maxAttempts 4 is one run and up to 3 retries`,
    );
  }
  // The Retry constructor checks every field, naming it, when the runner builds the policy.
  return { ...RETRY_DEFAULTS, ...(retry as RetryOptions) };
}

function checkBreaker(
  owner: string,
  field: string,
  breaker: unknown,
): JobBreakerOptions | undefined {
  if (breaker === false) return undefined;
  if (breaker === undefined) return BREAKER_DEFAULTS;
  if (typeof breaker !== 'object' || breaker === null || Array.isArray(breaker)) {
    throw invalidOption(
      owner,
      `${field} should be breaker options or false, got ${describeValue(breaker)}`,
    );
  }
  const given = breaker as JobBreakerOptions;
  return given.policy === undefined && given.failureThreshold === undefined
    ? {
        ...given,
        failureThreshold: BREAKER_DEFAULTS.failureThreshold,
        resetTimeout: given.resetTimeout ?? BREAKER_DEFAULTS.resetTimeout,
      }
    : ({
        ...given,
        resetTimeout: given.resetTimeout ?? BREAKER_DEFAULTS.resetTimeout,
      } as JobBreakerOptions);
}

function checkRateLimit(owner: string, field: string, rateLimit: unknown): TypeConfig['rateLimit'] {
  if (rateLimit === undefined) return undefined;
  const given = checkOptionsObject(`${owner}: ${field}`, rateLimit, ['max', 'interval'], {
    required: true,
  });
  return {
    max: required(
      owner,
      `${field}.max`,
      optionalInteger(owner, `${field}.max`, given.max, { min: 1, max: 100_000 }),
    ),
    interval: required(
      owner,
      `${field}.interval`,
      optionalDuration(owner, `${field}.interval`, given.interval, { positive: true }),
    ),
  };
}
