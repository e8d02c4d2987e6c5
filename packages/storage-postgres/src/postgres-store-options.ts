import { ConfigurationError, type DurationInput, parseDuration } from '@vigil/core';
import type { StoreOptions } from '@vigil/storage';
import { type ResolvedStoreOptions, resolveStoreOptions } from '@vigil/storage/adapter';
import type { Pool } from 'pg';

/** Where the store connects: a URL (the store creates and ends its pool) or a pool of yours. */
export type PostgresConnection =
  | {
      /** `postgres://user:password@host:port/database`; the store creates its own `pg.Pool`. */
      readonly url: string;
      readonly pool?: never;
    }
  | {
      /** A `pg.Pool` of yours: the store uses it and leaves it open on `close()`. */
      readonly pool: Pool;
      readonly url?: never;
    };

/** Options of `new PostgresStore()`. */
export type PostgresStoreOptions = PostgresConnection &
  StoreOptions & {
    /**
     * The PostgreSQL schema holding the store's tables, created (with its tables) on first use.
     * One schema per application or per test. Default `'vigil'`.
     */
    readonly schema?: string;
    /**
     * Bound on connecting and on each statement (`'5s'` by default): a call while the server is
     * down or stuck fails with `STORE_UNAVAILABLE` within about this long.
     */
    readonly timeout?: DurationInput;
    /** Connections of the pool the store creates from `url` (default 10); not with `pool`. */
    readonly maxConnections?: number;
  };

/** The options, checked and defaulted. */
export interface ResolvedPostgresOptions extends ResolvedStoreOptions {
  readonly url: string | undefined;
  readonly pool: Pool | undefined;
  readonly schema: string;
  readonly timeoutMs: number;
  readonly maxConnections: number;
}

const NAME = 'PostgresStore';
const OWN = ['url', 'pool', 'schema', 'timeout', 'maxConnections'];
// An unquoted-style identifier (always quoted when used), within PostgreSQL's 63-byte limit.
const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function resolvePostgresOptions(options: PostgresStoreOptions): ResolvedPostgresOptions {
  if (typeof options !== 'object' || options === null) {
    fail(`options should be an object with url or pool, got ${String(options)}`);
  }
  const common = resolveStoreOptions(
    NAME,
    options as unknown as StoreOptions & Record<string, unknown>,
    OWN,
  );
  const { url, pool } = options as { url?: unknown; pool?: unknown };
  if ((url === undefined) === (pool === undefined)) {
    fail('pass exactly one of url (a connection string) and pool (a pg.Pool)');
  }
  if (url !== undefined && (typeof url !== 'string' || url.length === 0)) {
    fail(`url should be a postgres:// connection string, got ${typeof url}`);
  }
  if (pool !== undefined && !isPool(pool)) {
    fail('pool should be a pg.Pool (with connect(), on() and end())');
  }
  const schema = options.schema ?? 'vigil';
  if (typeof schema !== 'string' || !SCHEMA.test(schema)) {
    fail(
      `schema should be a name of letters, digits and underscores (up to 63, not starting with a digit), got ${JSON.stringify(schema)}`,
    );
  }
  const timeoutMs = parseDuration(options.timeout ?? '5s', `${NAME}: timeout`);
  if (timeoutMs <= 0) {
    throw new ConfigurationError('INVALID_DURATION', `${NAME}: timeout should be positive`);
  }
  const maxConnections = options.maxConnections ?? 10;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    fail(`maxConnections should be a positive integer, got ${String(options.maxConnections)}`);
  }
  if (options.maxConnections !== undefined && pool !== undefined) {
    fail('maxConnections sizes the pool the store creates from url; size your own pool instead');
  }
  return {
    ...common,
    url: url as string | undefined,
    pool: pool as Pool | undefined,
    schema,
    timeoutMs: Math.ceil(timeoutMs),
    maxConnections,
  };
}

function isPool(value: unknown): value is Pool {
  const pool = value as Partial<Record<'connect' | 'on' | 'end', unknown>> | null;
  return (
    typeof pool === 'object' &&
    pool !== null &&
    typeof pool.connect === 'function' &&
    typeof pool.on === 'function' &&
    typeof pool.end === 'function'
  );
}

function fail(message: string): never {
  throw new ConfigurationError('INVALID_OPTION', `${NAME}: ${message}`);
}
