import type { DurationInput } from '@vigil/core';
import { describeValue, invalidOption, optionalDuration } from '@vigil/core/options';
import type { CheckOptions, CheckOutcome, HealthCheck } from '../health-check.js';
import { builtInCheck } from './built-in-check.js';
import { timed } from './response-time.js';

/** An `ioredis` or `node-redis` client, or anything with `ping()`. */
export interface RedisPingable {
  ping(): PromiseLike<unknown>;
  /** ioredis's connection status, read when present. */
  readonly status?: string;
}

/** Options of `checks.redis()`. */
export interface RedisCheckOptions extends CheckOptions {
  /** Warn when `PING` takes longer than this. Default: never. */
  warnAfter?: DurationInput | undefined;
}

const OWNER = 'checks.redis';
/** ioredis statuses in which a command would only wait in the offline queue. */
const DOWN = new Set(['reconnecting', 'close', 'end']);

/**
 * Redis: sends `PING` and expects `PONG`. An ioredis client that is reconnecting or ended
 * fails at once instead of queueing the command until the timeout. Critical by default; keyed
 * `redis:responseTime`, observed in `ms`.
 */
export function redis(client: RedisPingable, options: RedisCheckOptions = {}): HealthCheck {
  if (typeof client !== 'object' || client === null || typeof client.ping !== 'function') {
    throw invalidOption(
      OWNER,
      `client should be an ioredis or node-redis client (with ping()), got ${describeValue(client)}`,
    );
  }
  const warnAfter = optionalDuration(OWNER, 'warnAfter', options.warnAfter) ?? Infinity;
  const run = async (): Promise<CheckOutcome> => {
    const status = client.status;
    if (typeof status === 'string' && DOWN.has(status)) {
      return { status: 'fail', output: `the Redis connection is ${status}` };
    }
    const start = performance.now();
    const answer = await client.ping();
    if (answer !== 'PONG') {
      return { status: 'fail', output: `PING answered ${describeValue(answer)}, expected "PONG"` };
    }
    return timed(start, warnAfter);
  };
  return builtInCheck(
    OWNER,
    options,
    ['warnAfter'],
    {
      name: 'redis',
      measurement: 'responseTime',
      componentType: 'datastore',
      critical: true,
      quick: false,
    },
    { run },
  );
}
