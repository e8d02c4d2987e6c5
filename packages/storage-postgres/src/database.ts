import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { Deadline } from './deadline.js';
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
 * The store's access to PostgreSQL: connections from the pool, statements, transactions,
 * migrations once per store (lazily, retried after a failure), and errors mapped to `StoreError`.
 * Every call has one `Deadline`: the wait for the migration, for a connection and every statement
 * of it spend the same `timeout`, so a server that stops answering fails the call within `timeout`
 * however far into a transaction it was. A connection that broke or timed out is destroyed (its
 * transaction dies with it) rather than reused or rolled back: a ROLLBACK on a connection that
 * does not answer would wait once more. `close()` cuts the calls in flight at once.
 */
export class Database {
  /** The schema as a quoted SQL identifier, to prefix table names with. */
  readonly schema: string;
  readonly #name: string;
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #timeoutMs: number;
  readonly #onPoolError: (error: Error) => void;
  readonly #closing = new AbortController();
  #ready: Promise<void> | undefined;

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
    return this.#readyWithin(new Deadline(this.#timeoutMs));
  }

  /** Runs one statement (atomic by itself). */
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    return this.#call((run) => run<R>(text, values));
  }

  /** Runs `fn` in a transaction on one connection; retried whole on a deadlock. */
  transaction<T>(fn: (run: Run) => Promise<T>): Promise<T> {
    return this.#call((run) => inTransaction(run, fn));
  }

  /**
   * Fails the calls in flight at once with `STORE_UNAVAILABLE` (their connections are destroyed,
   * never waited for) and ends the pool if the store created it; a pool passed in is left open.
   */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    if (this.#ownsPool) {
      await this.#pool.end();
    } else {
      this.#pool.removeListener('error', this.#onPoolError);
    }
  }

  async #call<T>(fn: (run: Run) => Promise<T>): Promise<T> {
    const deadline = new Deadline(this.#timeoutMs);
    await this.#readyWithin(deadline);
    for (let tries = 1; ; tries++) {
      try {
        return await this.#withClient(deadline, fn);
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (tries >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE_STATES.has(code)) {
          throw error;
        }
      }
    }
  }

  #readyWithin(deadline: Deadline): Promise<void> {
    if (this.#closing.signal.aborted) return Promise.reject(closedError());
    this.#ready ??= this.#withClient(new Deadline(this.#timeoutMs), (run) =>
      inTransaction(run, (inner) => migrate(inner, this.#name, this.schema)),
    ).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#race(deadline, this.#ready);
  }

  #race<T>(deadline: Deadline, promise: Promise<T>): Promise<T> {
    return deadline.race(promise, this.#closing.signal, closedError);
  }

  async #withClient<T>(deadline: Deadline, fn: (run: Run) => Promise<T>): Promise<T> {
    if (this.#closing.signal.aborted) throw closedError();
    const client = await this.#connect(deadline);
    let broken: Error | undefined;
    let released = false;
    // While a client is checked out, pg emits its socket errors on it: unheard, they would crash.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    const run: Run = <R extends QueryResultRow>(text: string, values?: readonly unknown[]) => {
      if (released) return Promise.reject(deadline.error());
      // `query_timeout` per statement (a pool passed in may not set it): what the call has left.
      const config: QueryConfig & { query_timeout: number } = {
        text,
        values: values as unknown[],
        query_timeout: deadline.remaining(),
      };
      return client.query<R>(config);
    };
    try {
      return await this.#race(deadline, fn(run));
    } catch (error) {
      if (isUnavailable(error)) {
        broken ??= error instanceof Error ? error : new Error(String(error));
      }
      throw toStoreError(error);
    } finally {
      // Once: a call cut short by its deadline or by close() may still settle later.
      released = true;
      client.removeListener('error', onError);
      client.release(broken ?? false);
    }
  }

  async #connect(deadline: Deadline): Promise<PoolClient> {
    const connecting = this.#pool.connect();
    try {
      return await this.#race(deadline, connecting);
    } catch (error) {
      // A connection that arrives after the deadline goes straight back to the pool.
      connecting.then(
        (client) => client.release(),
        () => undefined,
      );
      throw toStoreError(error);
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
    // A connection that did not answer is destroyed, which ends its transaction: a ROLLBACK
    // would only wait for it once more.
    if (!isUnavailable(error)) await run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
