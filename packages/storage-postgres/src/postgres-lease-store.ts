import type { DurationInput } from '@vigil/core';
import type { Lease, LeaseStore } from '@vigil/storage';
import { checkName, checkShape, leaseSchema, ttlMs } from '@vigil/storage/adapter';
import { ceilMs } from './ceil-ms.js';
import type { Database } from './database.js';

interface LeaseRow {
  name: string;
  owner: string;
  token: string;
  expires_at: string;
}

// A released lease keeps its row (and so its token, which the next holder increments), with an
// expiry no clock reading reaches again.
const RELEASED = 0;

/**
 * `LeaseStore` on the `leases` table: one row per name, kept across holders so that the fencing
 * token only grows. `acquire` is one `INSERT … ON CONFLICT DO UPDATE … WHERE` that takes a free or
 * expired lease (token + 1) or extends the owner's own (same token), so two clients racing for a
 * lease are serialised by the row lock and exactly one wins.
 */
export class PostgresLeaseStore implements LeaseStore {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Database, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#sql = statements(db.schema);
  }

  async acquire(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    const [now, expiresAt] = this.#times(name, owner, ttl);
    const result = await this.#db.query<LeaseRow>(this.#sql.acquire, [name, owner, expiresAt, now]);
    return decodeRow(result.rows[0]);
  }

  async renew(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    const [now, expiresAt] = this.#times(name, owner, ttl);
    const result = await this.#db.query<LeaseRow>(this.#sql.renew, [name, owner, expiresAt, now]);
    return decodeRow(result.rows[0]);
  }

  async release(name: string, owner: string): Promise<boolean> {
    checkName('name', name);
    checkName('owner', owner);
    const result = await this.#db.query(this.#sql.release, [name, owner, this.#now()]);
    return result.rowCount === 1;
  }

  async get(name: string): Promise<Lease | undefined> {
    checkName('name', name);
    const result = await this.#db.query<LeaseRow>(this.#sql.get, [name, this.#now()]);
    return decodeRow(result.rows[0]);
  }

  #times(name: string, owner: string, ttl: DurationInput): [number, number] {
    checkName('name', name);
    checkName('owner', owner);
    const ms = ttlMs('ttl', ttl);
    const now = this.#now();
    return [now, ceilMs(now + ms)];
  }
}

function decodeRow(row: LeaseRow | undefined): Lease | undefined {
  if (row === undefined) return undefined;
  return checkShape(`lease '${row.name}'`, toLease(row), leaseSchema);
}

function toLease(row: LeaseRow): Record<keyof Lease, unknown> {
  return {
    name: row.name,
    owner: row.owner,
    token: Number(row.token),
    expiresAt: Number(row.expires_at),
  };
}

function statements(s: string) {
  const columns = 'name, owner, token, expires_at';
  return {
    acquire: `INSERT INTO ${s}.leases AS l (name, owner, token, expires_at) VALUES ($1, $2, 1, $3)
      ON CONFLICT (name) DO UPDATE SET
        token = CASE WHEN l.owner = excluded.owner AND l.expires_at > $4 THEN l.token
          ELSE l.token + 1 END,
        owner = excluded.owner,
        expires_at = excluded.expires_at
      WHERE l.owner = excluded.owner OR l.expires_at <= $4
      RETURNING ${columns}`,
    renew: `UPDATE ${s}.leases SET expires_at = $3
      WHERE name = $1 AND owner = $2 AND expires_at > $4
      RETURNING ${columns}`,
    release: `UPDATE ${s}.leases SET expires_at = ${RELEASED}
      WHERE name = $1 AND owner = $2 AND expires_at > $3`,
    get: `SELECT ${columns} FROM ${s}.leases WHERE name = $1 AND expires_at > $2`,
  };
}
