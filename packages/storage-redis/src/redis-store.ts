import type {
  DeadLetterStore,
  IdempotencyStore,
  LeaseStore,
  RecordStore,
  Store,
  TimeSeriesStore,
} from '@vigil/storage';
import { startSweeper } from '@vigil/storage/adapter';
import { Redis } from 'ioredis';
import { KeySpace } from './key-space.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisContext } from './redis-context.js';
import { RedisDeadLetters } from './redis-dead-letters.js';
import { RedisIdempotency } from './redis-idempotency.js';
import { RedisLeases } from './redis-leases.js';
import { RedisRecords } from './redis-records.js';
import type { RedisStoreOptions } from './redis-store-options.js';
import { RedisTimeSeries } from './redis-time-series.js';
import { type ResolvedRedisOptions, resolveRedisOptions } from './resolve-redis-options.js';

/**
 * Every Vigil store on one Redis server, shared by all the instances of a service that use the
 * same `keyPrefix`. Calls fail fast with `STORE_UNAVAILABLE` while Redis is unreachable and work
 * again once it is back (ioredis reconnects by itself). A background sweep (unref()ed, every
 * `sweepInterval`) removes series points older than `retention` and expired records.
 */
export class RedisStore implements Store {
  readonly timeSeries: TimeSeriesStore;
  readonly records: RecordStore;
  readonly deadLetters: DeadLetterStore;
  readonly idempotency: IdempotencyStore;
  readonly leases: LeaseStore;
  readonly #options: ResolvedRedisOptions;
  readonly #connection: RedisConnection;
  readonly #timeSeries: RedisTimeSeries;
  readonly #records: RedisRecords;
  readonly #stopSweeper: () => Promise<void>;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.#options = resolveRedisOptions(options);
    const { client, url, timeoutMs, keyPrefix, store } = this.#options;
    this.#connection = new RedisConnection(
      client ?? createClient(url as string, timeoutMs),
      client === undefined,
      timeoutMs,
    );
    const context: RedisContext = {
      connection: this.#connection,
      keys: new KeySpace(keyPrefix),
      clock: store.clock,
    };
    this.#timeSeries = new RedisTimeSeries(context);
    this.#records = new RedisRecords(context);
    this.timeSeries = this.#timeSeries;
    this.records = this.#records;
    this.deadLetters = new RedisDeadLetters(context, store.maxDeadLetters);
    this.idempotency = new RedisIdempotency(context);
    this.leases = new RedisLeases(context);
    this.#stopSweeper = startSweeper(store.sweepIntervalMs, () => this.sweep(), store.onError);
  }

  /** The ioredis client the store uses (its own, or the one passed in). */
  get client(): Redis {
    return this.#connection.client;
  }

  /**
   * Runs the sweep now (it also runs every `sweepInterval`): removes series points older than
   * `retention` and records whose TTL has passed. Returns how many raw points went. Idempotency
   * keys and leases need no sweep: Redis expires them (`PEXPIRE`) after their TTL.
   */
  async sweep(): Promise<number> {
    if (this.#closed) return 0;
    await this.#records.sweep();
    const retention = this.#options.store.retentionMs;
    if (retention === undefined) return 0;
    return this.#timeSeries.deleteBefore(this.#options.store.clock.now() - retention);
  }

  /** Stops the sweep and closes the client the store created (not one passed in). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#stopSweeper();
    await this.#connection.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

// Fail fast while disconnected (no offline queue, one retry), bound every command, and keep
// reconnecting in the background (up to every 2 s) so that the store recovers by itself.
function createClient(url: string, timeoutMs: number): Redis {
  const client = new Redis(url, {
    commandTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempts) => Math.min(attempts * 50, 2_000),
  });
  // Connection errors reach callers as STORE_UNAVAILABLE; without a listener ioredis would log them.
  client.on('error', () => undefined);
  return client;
}
