import type { DurationInput } from '@vigil/core';
import type { ClaimResult, IdempotencyStore } from '@vigil/storage';
import { checkClaim, checkName, checkUpdate } from '@vigil/storage/adapter';
import { jsonColumn, timeColumn } from './decode-column.js';
import type { SqliteConnection } from './sqlite-connection.js';

// Expiry is compared in JavaScript, after checking it, not in SQL: SQLite sorts text after every
// number, so a text expiry would compare as later than any time and the key would never expire.
const ROW = 'SELECT value, expires_at FROM vigil_idempotency WHERE key = ?';

/**
 * Idempotency keys with an expiry on the store's clock; an expired key counts as absent. A key
 * whose expiry is not ms since the epoch is `STORE_CORRUPT`; `release` removes it (the repair).
 */
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
      const current = this.#live(key, now);
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
    return this.#connection.write(() => {
      if (this.#live(key, now) === undefined) return false;
      this.#connection
        .statement('UPDATE vigil_idempotency SET value = ? WHERE key = ?')
        .run(text, key);
      return true;
    });
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkName('key', key);
    const now = this.#clock.now();
    const text = this.#connection.read(() => this.#live(key, now));
    return text === undefined ? undefined : (jsonColumn(`idempotency key '${key}'`, text) as T);
  }

  async release(key: string): Promise<boolean> {
    checkName('key', key);
    const now = this.#clock.now();
    const deleted = this.#connection.write(() =>
      this.#connection
        .statement('DELETE FROM vigil_idempotency WHERE key = ? RETURNING expires_at')
        .pluck()
        .get(key),
    );
    if (deleted === undefined) return false;
    // A corrupt key is released too, and counts as live (as in the memory store): that is how
    // it gets repaired.
    return typeof deleted !== 'number' || !Number.isFinite(deleted) || deleted > now;
  }

  /** The stored value text of `key` while it is live; a malformed expiry is `STORE_CORRUPT`. */
  #live(key: string, now: number): unknown {
    const row = this.#connection.statement(ROW).raw().get(key) as
      | [value: unknown, expiresAt: unknown]
      | undefined;
    if (row === undefined) return undefined;
    const expiresAt = timeColumn(`expiry of idempotency key '${key}'`, row[1]);
    return expiresAt > now ? row[0] : undefined;
  }
}
