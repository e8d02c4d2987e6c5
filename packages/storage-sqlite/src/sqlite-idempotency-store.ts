import type { DurationInput } from '@vigil/core';
import type { ClaimResult, IdempotencyStore } from '@vigil/storage';
import { checkClaim, checkName, checkUpdate } from '@vigil/storage/adapter';
import { jsonColumn } from './decode-column.js';
import type { SqliteConnection } from './sqlite-connection.js';

const LIVE_VALUE = 'SELECT value FROM vigil_idempotency WHERE key = ? AND expires_at > ?';

/** Idempotency keys with an expiry on the store's clock; an expired key counts as absent. */
export class SqliteIdempotencyStore implements IdempotencyStore {
  readonly #connection: SqliteConnection;
  readonly #clock: { now(): number };

  constructor(connection: SqliteConnection, clock: { now(): number }) {
    this.#connection = connection;
    this.#clock = clock;
  }

  async claim<T>(key: string, value: T, ttl: DurationInput): Promise<ClaimResult<T>> {
    const { json: text, ttl: ms } = checkClaim(key, value, ttl);
    const now = this.#clock.now();
    // Read and write under the write lock, so two clients cannot both win.
    const stored = this.#connection.write(() => {
      const current = this.#connection.statement(LIVE_VALUE).pluck().get(key, now);
      if (current !== undefined) return { current };
      this.#connection
        .statement(
          'INSERT OR REPLACE INTO vigil_idempotency (key, value, expires_at) VALUES (?, ?, ?)',
        )
        .run(key, text, now + ms);
      return undefined;
    });
    if (stored === undefined) return { claimed: true };
    return { claimed: false, value: jsonColumn(`idempotency key '${key}'`, stored.current) as T };
  }

  async update<T>(key: string, value: T): Promise<boolean> {
    const text = checkUpdate(key, value);
    const now = this.#clock.now();
    return (
      this.#connection.write(() =>
        this.#connection
          .statement('UPDATE vigil_idempotency SET value = ? WHERE key = ? AND expires_at > ?')
          .run(text, key, now),
      ).changes > 0
    );
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkName('key', key);
    const now = this.#clock.now();
    const text = this.#connection.read(() =>
      this.#connection.statement(LIVE_VALUE).pluck().get(key, now),
    );
    return text === undefined ? undefined : (jsonColumn(`idempotency key '${key}'`, text) as T);
  }

  async release(key: string): Promise<boolean> {
    checkName('key', key);
    const now = this.#clock.now();
    const live = this.#connection.write(() =>
      this.#connection
        .statement('DELETE FROM vigil_idempotency WHERE key = ? RETURNING expires_at > ?')
        .pluck()
        .get(key, now),
    );
    return live === 1;
  }
}
