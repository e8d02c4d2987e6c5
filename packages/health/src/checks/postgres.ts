import type { DurationInput } from '@vigil/core';
import {
  describeValue,
  invalidOption,
  optionalDuration,
  optionalString,
} from '@vigil/core/options';
import type { CheckOptions, CheckOutcome, HealthCheck, ObservedValue } from '../health-check.js';
import { builtInCheck, roundMs } from './built-in-check.js';
import { timed } from './response-time.js';

/** Anything with `query(text)`: a `pg` `Client`, a pg-promise database, a Drizzle/Kysely pool… */
export interface PostgresQueryable {
  query(text: string): PromiseLike<unknown>;
}

/** A connection checked out of a pool. */
export interface PostgresPoolClient extends PostgresQueryable {
  release(error?: Error | boolean): void;
}

/** A `pg` `Pool`, or anything shaped like one. */
export interface PostgresPool extends PostgresQueryable {
  connect(): PromiseLike<PostgresPoolClient>;
  readonly totalCount: number;
  readonly idleCount?: number;
  readonly waitingCount?: number;
}

/** Options of `checks.postgres()`. */
export interface PostgresCheckOptions extends CheckOptions {
  /** The statement to run. Default `'SELECT 1'`. */
  query?: string | undefined;
  /** Warn when the check takes longer than this (connection and query). Default: never. */
  warnAfter?: DurationInput | undefined;
}

const OWNER = 'checks.postgres';

/**
 * PostgreSQL: runs `SELECT 1`. Given a `pg` `Pool` (anything with `connect()` and a numeric
 * `totalCount`), it checks a connection out, timing the checkout (`details.connectTime`) and
 * the query (`details.queryTime`), and reports the pool's `totalCount`, `idleCount` and
 * `waitingCount`; given anything else with `query()`, it runs the query. Critical by default;
 * keyed `postgres:responseTime`, observed in `ms`.
 */
export function postgres(
  pool: PostgresPool | PostgresQueryable,
  options: PostgresCheckOptions = {},
): HealthCheck {
  if (typeof pool !== 'object' || pool === null || typeof pool.query !== 'function') {
    throw invalidOption(
      OWNER,
      `pool should be a pg Pool or Client (with query()), got ${describeValue(pool)}`,
    );
  }
  const text = optionalString(OWNER, 'query', options.query) ?? 'SELECT 1';
  const warnAfter = optionalDuration(OWNER, 'warnAfter', options.warnAfter) ?? Infinity;
  const isPool =
    typeof (pool as PostgresPool).connect === 'function' &&
    typeof (pool as PostgresPool).totalCount === 'number';
  const run = async (signal: AbortSignal): Promise<CheckOutcome> => {
    const start = performance.now();
    const details: Record<string, ObservedValue> = {};
    if (isPool) {
      const client = await (pool as PostgresPool).connect();
      const connected = performance.now();
      details.connectTime = roundMs(connected - start);
      if (signal.aborted) {
        client.release();
        throw signal.reason;
      }
      try {
        await client.query(text);
      } catch (error) {
        // A connection whose query failed may be broken: the pool discards it.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      client.release();
      details.queryTime = roundMs(performance.now() - connected);
      poolCounts(pool as PostgresPool, details);
    } else {
      await pool.query(text);
    }
    return timed(start, warnAfter, details);
  };
  return builtInCheck(
    OWNER,
    options,
    ['query', 'warnAfter'],
    {
      name: 'postgres',
      measurement: 'responseTime',
      componentType: 'datastore',
      critical: true,
      quick: false,
    },
    { run },
  );
}

function poolCounts(pool: PostgresPool, details: Record<string, ObservedValue>): void {
  details.totalCount = pool.totalCount;
  if (typeof pool.idleCount === 'number') details.idleCount = pool.idleCount;
  if (typeof pool.waitingCount === 'number') details.waitingCount = pool.waitingCount;
}
