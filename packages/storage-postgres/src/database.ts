import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { migrate, type Run } from './migrations.js';
import { closedError, isUnavailable, toStoreError } from './to-store-error.js';

/** What a `Database` is made of, checked by the store's constructor. */
export interface DatabaseOptions {
  readonly pool: Pool;
  /** Whether `close()` ends the pool (it does only for a pool the store created). */
  readonly ownsPool: boolean;
  /** The schema's plain name. */
  readonly schema: string;
  /** Bound on connecting and on every statement, in ms. */
  readonly timeoutMs: number;
  /** Where errors of idle connections go (they must never crash the host). */
  readonly onError: (error: unknown) => void;
}

// Deadlocks and serialization failures are retried: both mean "try again", never "wrong".
const RETRYABLE_STATES = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * The store's access to PostgreSQL: connections from the pool with a bounded wait, statements with
 * a read timeout, transactions, migrations once per store (lazily, retried after a failure), and
 * errors mapped to `StoreError`. A connection that broke is destroyed rather than reused.
 */
export class Database {
  /** The schema as a quoted SQL identifier, to prefix table names with. */
  readonly schema: string;
  readonly #name: string;
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #timeoutMs: number;
  readonly #onPoolError: (error: Error) => void;
  #ready: Promise<void> | undefined;
  #closed = false;

  constructor(options: DatabaseOptions) {
    this.#name = options.schema;
    this.schema = `"${options.schema}"`;
    this.#pool = options.pool;
    this.#ownsPool = options.ownsPool;
    this.#timeoutMs = options.timeoutMs;
    const onError = options.onError;
    this.#onPoolError = (error) => {
      try {
        onError(toStoreError(error));
      } catch {
        // A failing error handler must not take the host down either.
      }
    };
    this.#pool.on('error', this.#onPoolError);
  }

  /** Applies the migrations the schema lacks; once per store, again after a failed attempt. */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    this.#ready ??= this.#withClient(this.#timeoutMs, (run) =>
      inTransaction(run, (inner) => migrate(inner, this.#name, this.schema)),
    ).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Runs one statement (atomic by itself). */
  async query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: readonly unknown[],
    timeoutMs = this.#timeoutMs,
  ): Promise<QueryResult<R>> {
    await this.ready();
    return this.#retry(() => this.#withClient(timeoutMs, (run) => run<R>(text, values)));
  }

  /** Runs `fn` in a transaction on one connection; retried whole on a deadlock. */
  async transaction<T>(fn: (run: Run) => Promise<T>, timeoutMs = this.#timeoutMs): Promise<T> {
    await this.ready();
    return this.#retry(() => this.#withClient(timeoutMs, (run) => inTransaction(run, fn)));
  }

  /** Ends the pool if the store created it; a pool passed in is left open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) {
      await this.#pool.end();
    } else {
      this.#pool.removeListener('error', this.#onPoolError);
    }
  }

  async #retry<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (tries >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE_STATES.has(code)) {
          throw error;
        }
      }
    }
  }

  async #withClient<T>(timeoutMs: number, fn: (run: Run) => Promise<T>): Promise<T> {
    if (this.#closed) throw closedError();
    const client = await this.#connect();
    let broken: Error | undefined;
    // While a client is checked out, pg emits its socket errors on it: unheard, they would crash.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    const run: Run = <R extends QueryResultRow>(text: string, values?: readonly unknown[]) => {
      // `query_timeout` per statement: a pool passed in may not set it.
      const config: QueryConfig & { query_timeout: number } = {
        text,
        values: values as unknown[],
        query_timeout: timeoutMs,
      };
      return client.query<R>(config);
    };
    try {
      return await fn(run);
    } catch (error) {
      if (isUnavailable(error))
        broken ??= error instanceof Error ? error : new Error(String(error));
      throw toStoreError(error);
    } finally {
      client.removeListener('error', onError);
      client.release(broken ?? false);
    }
  }

  async #connect(): Promise<PoolClient> {
    const connecting = this.#pool.connect();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('timeout exceeded when trying to connect')),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([connecting, timedOut]);
    } catch (error) {
      // A connection that arrives after the deadline goes straight back to the pool.
      connecting.then(
        (client) => client.release(),
        () => undefined,
      );
      throw toStoreError(error);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function inTransaction<T>(run: Run, fn: (run: Run) => Promise<T>): Promise<T> {
  await run('BEGIN');
  try {
    const result = await fn(run);
    await run('COMMIT');
    return result;
  } catch (error) {
    await run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
