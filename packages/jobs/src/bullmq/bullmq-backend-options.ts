import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalBoolean,
  optionalDuration,
  optionalInteger,
  optionalString,
} from '@vigil/core/options';
import type { Redis } from 'ioredis';

/** Options of `bullmqBackend()`: where Redis is, and how the queues behave. */
export interface BullmqBackendOptions {
  /**
   * `redis://[user:password@]host:port[/db]`: the backend makes its ioredis clients (with
   * `maxRetriesPerRequest: null`, as BullMQ's workers need) and closes them. Give `url` or
   * `client`.
   */
  url?: string | undefined;
  /**
   * An ioredis client made with `maxRetriesPerRequest: null`; BullMQ duplicates it for its
   * blocking connections. The backend never closes it.
   */
  client?: Redis | undefined;
  /** Prefix of every key BullMQ writes: `<prefix>:<type>:…`. Default `'vigil-jobs'`. */
  prefix?: string | undefined;
  /**
   * Whether this process runs jobs (one BullMQ `Worker` per type) or only submits them (a web
   * process that hands work to a fleet of job processes). Default `true`.
   */
  workers?: boolean | undefined;
  /**
   * How long a running job's lock lasts, renewed by its worker at half of it. A job whose worker
   * died is recovered as stalled once the lock has expired and a stalled check ran. Default
   * `'30s'` (BullMQ's default).
   */
  lockDuration?: DurationInput | undefined;
  /** How often each worker looks for stalled jobs. Default `'30s'` (BullMQ's default). */
  stalledInterval?: DurationInput | undefined;
  /**
   * How many times a job may be recovered as stalled (its worker died while running it) before
   * it goes to the dead-letter queue with reason `'stalled'`, without running again. Default 1.
   */
  maxStalls?: number | undefined;
  /**
   * How long the queue-wide counts (waiting, delayed, active, failed) are kept before a scrape
   * reads them from Redis again. Default `'1s'`.
   */
  countsTtl?: DurationInput | undefined;
}

/** @internal The options checked, with defaults. */
export interface BullmqBackendConfig {
  readonly url: string | undefined;
  readonly client: Redis | undefined;
  readonly prefix: string;
  readonly workers: boolean;
  readonly lockDuration: number;
  readonly stalledInterval: number;
  readonly maxStalls: number;
  readonly countsTtl: number;
}

const OWNER = 'bullmqBackend';
const KEYS = [
  'url',
  'client',
  'prefix',
  'workers',
  'lockDuration',
  'stalledInterval',
  'maxStalls',
  'countsTtl',
] as const satisfies readonly (keyof BullmqBackendOptions)[];

/**
 * @internal Checks the options once, when the backend is made: core's `ConfigurationError`
 * (`INVALID_OPTION`, or `INVALID_DURATION`) naming the field and the bad value.
 */
export function bullmqBackendConfig(options: BullmqBackendOptions): BullmqBackendConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const url = optionalString(OWNER, 'url', given['url']);
  const client = given['client'];
  if ((url === undefined) === (client === undefined)) {
    throw invalidOption(
      OWNER,
      "give exactly one of url (such as 'redis://127.0.0.1:6379') and client (an ioredis client)",
    );
  }
  if (url !== undefined && !/^rediss?:\/\//.test(url)) {
    throw invalidOption(
      OWNER,
      `url should start with redis:// or rediss://, got ${describeValue(url)}`,
    );
  }
  if (client !== undefined) {
    if (!hasMethods(client, ['duplicate', 'quit', 'on'])) {
      throw invalidOption(
        OWNER,
        `client should be an ioredis client, got ${describeValue(client)}`,
      );
    }
    const retries = (client as { options?: { maxRetriesPerRequest?: unknown } }).options
      ?.maxRetriesPerRequest;
    if (retries !== null) {
      throw invalidOption(
        OWNER,
        `client should be made with maxRetriesPerRequest: null, as BullMQ's workers need (got ${describeValue(retries)})`,
      );
    }
  }
  const prefix = optionalString(OWNER, 'prefix', given['prefix']) ?? 'vigil-jobs';
  if (prefix.includes(':')) {
    throw invalidOption(OWNER, `prefix should not contain ':', got ${describeValue(prefix)}`);
  }
  return {
    url,
    client: client as Redis | undefined,
    prefix,
    workers: optionalBoolean(OWNER, 'workers', given['workers']) ?? true,
    lockDuration:
      optionalDuration(OWNER, 'lockDuration', given['lockDuration'], { positive: true }) ?? 30_000,
    stalledInterval:
      optionalDuration(OWNER, 'stalledInterval', given['stalledInterval'], { positive: true }) ??
      30_000,
    maxStalls: optionalInteger(OWNER, 'maxStalls', given['maxStalls'], { min: 0 }) ?? 1,
    countsTtl: optionalDuration(OWNER, 'countsTtl', given['countsTtl']) ?? 1_000,
  };
}
