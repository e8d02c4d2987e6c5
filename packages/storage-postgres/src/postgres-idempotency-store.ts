import type { DurationInput } from '@vigil/core';
import { type ClaimResult, type IdempotencyStore, StoreError } from '@vigil/storage';
import { checkClaim, checkName, checkUpdate } from '@vigil/storage/adapter';
import { ceilMs } from './ceil-ms.js';
import type { Database } from './database.js';
import { jsonColumn } from './decode-column.js';

// A losing claim reads the winner's value; if that key vanished in between (released, expired),
// the claim is tried again, a bounded number of times.
const CLAIM_ATTEMPTS = 5;

/**
 * `IdempotencyStore` on the `idempotency_keys` table. `claim` is one `INSERT … ON CONFLICT DO
 * UPDATE … WHERE expired … RETURNING`: it inserts a new key or takes over an expired one, and
 * returns nothing when a live key exists, whose value is then read.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Database, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#sql = statements(db.schema);
  }

  async claim<T>(key: string, value: T, ttl: DurationInput): Promise<ClaimResult<T>> {
    const { json: text, ttl: ms } = checkClaim(key, value, ttl);
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const now = this.#now();
      const expiresAt = ceilMs(now + ms);
      const claimed = await this.#db.query(this.#sql.claim, [key, text, expiresAt, now]);
      if (claimed.rowCount === 1) return { claimed: true };
      const held = await this.#read<T>(key);
      if (held !== undefined) return { claimed: false, value: held.value };
    }
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `idempotency key '${key}' kept changing under ${CLAIM_ATTEMPTS} claims in a row; try again`,
    );
  }

  async update<T>(key: string, value: T): Promise<boolean> {
    const text = checkUpdate(key, value);
    const result = await this.#db.query(this.#sql.update, [key, text, this.#now()]);
    return result.rowCount === 1;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkName('key', key);
    return (await this.#read<T>(key))?.value;
  }

  async release(key: string): Promise<boolean> {
    checkName('key', key);
    const result = await this.#db.query<{ live: boolean }>(this.#sql.release, [key, this.#now()]);
    return result.rows[0]?.live === true;
  }

  async #read<T>(key: string): Promise<{ value: T } | undefined> {
    const result = await this.#db.query<{ value: string }>(this.#sql.get, [key, this.#now()]);
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return { value: jsonColumn(`idempotency key '${key}'`, row.value) as T };
  }
}

function statements(s: string) {
  return {
    claim: `INSERT INTO ${s}.idempotency_keys AS k (key, value, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
      WHERE k.expires_at <= $4`,
    update: `UPDATE ${s}.idempotency_keys SET value = $2 WHERE key = $1 AND expires_at > $3`,
    get: `SELECT value FROM ${s}.idempotency_keys WHERE key = $1 AND expires_at > $2`,
    release: `DELETE FROM ${s}.idempotency_keys WHERE key = $1 RETURNING expires_at > $2 AS live`,
  };
}
