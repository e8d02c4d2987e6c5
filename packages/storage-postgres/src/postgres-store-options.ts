import type { DurationInput } from '@vigil/core';
import {
  describeValue,
  hasMethods,
  invalidOption,
  optionalDuration,
  optionalInteger,
  optionalString,
  required,
} from '@vigil/core/options';
import type { StoreOptions } from '@vigil/storage';
import { type ResolvedStoreOptions, resolveStoreOptions } from '@vigil/storage/adapter';
import type { Pool } from 'pg';

/** Where the store connects: a URL (the store creates and ends its pool) or a pool of yours. */
export type PostgresConnection =
  | {
      /** `postgres://user:password@host:port/database`; the store creates its own `pg.Pool`. */
      readonly url: string;
      readonly pool?: undefined;
    }
  | {
      /** A `pg.Pool` of yours: the store uses it and leaves it open on `close()`. */
      readonly pool: Pool;
      readonly url?: undefined;
    };

/** Options of `new PostgresStore()`. */
export type PostgresStoreOptions = PostgresConnection &
  StoreOptions & {
    /**
     * The PostgreSQL schema holding the store's tables, created (with its tables) on first use.
     * One schema per application or per test. Default `'vigil'`.
     */
    readonly schema?: string | undefined;
    /**
     * Bound on each call as a whole (`'5s'` by default): the wait for a connection and every
     * statement of its transaction share it, so a call while the server is down or stuck fails
     * with `STORE_UNAVAILABLE` within about this long.
     */
    readonly timeout?: DurationInput | undefined;
    /** Connections of the pool the store creates from `url` (default 10); not with `pool`. */
    readonly maxConnections?: number | undefined;
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

/** Checks the options once, at construction: `ConfigurationError` naming the bad one. */
export function resolvePostgresOptions(options: PostgresStoreOptions): ResolvedPostgresOptions {
  required(NAME, 'options', options, 'pass { url } or { pool }');
  const common = resolveStoreOptions(
    NAME,
    options as unknown as StoreOptions & Record<string, unknown>,
    OWN,
  );
  const url = optionalString(NAME, 'url', options.url);
  const pool: unknown = options.pool;
  if ((url === undefined) === (pool === undefined)) {
    throw invalidOption(NAME, 'pass exactly one of url (a connection string) and pool (a pg.Pool)');
  }
  if (pool !== undefined && !hasMethods(pool, ['connect', 'on', 'end'])) {
    throw invalidOption(
      NAME,
      `pool should be a pg.Pool (with connect(), on() and end()), got ${describeValue(pool)}`,
    );
  }
  const schema = optionalString(NAME, 'schema', options.schema) ?? 'vigil';
  if (!SCHEMA.test(schema)) {
    throw invalidOption(
      NAME,
      `schema should be a name of letters, digits and underscores (up to 63, not starting with a digit), got ${describeValue(schema)}`,
    );
  }
  const timeoutMs = optionalDuration(NAME, 'timeout', options.timeout, { positive: true }) ?? 5_000;
  const maxConnections = optionalInteger(NAME, 'maxConnections', options.maxConnections, {
    min: 1,
  });
  if (maxConnections !== undefined && pool !== undefined) {
    throw invalidOption(
      NAME,
      'maxConnections sizes the pool the store creates from url; size your own pool instead',
    );
  }
  return {
    ...common,
    url,
    pool: pool as Pool | undefined,
    schema,
    timeoutMs: Math.ceil(timeoutMs),
    maxConnections: maxConnections ?? 10,
  };
}
