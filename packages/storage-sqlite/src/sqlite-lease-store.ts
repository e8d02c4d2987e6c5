import type { DurationInput } from '@vigil/core';
import type { Lease, LeaseStore } from '@vigil/storage';
import { checkName, checkShape, leaseSchema, ttlMs } from '@vigil/storage/adapter';
import type { SqliteConnection } from './sqlite-connection.js';

const SELECT =
  'SELECT name, owner, token, expires_at AS expiresAt FROM vigil_leases WHERE name = ?';

interface LeaseRow {
  name: unknown;
  owner: unknown;
  token: unknown;
  expiresAt: unknown;
}

/**
 * Leases in one table, one row per name, changed only inside `BEGIN IMMEDIATE` transactions (so
 * two connections to the file, in one process or two, serialise). A released lease keeps its row
 * with no owner, so that the fencing token keeps increasing.
 */
export class SqliteLeaseStore implements LeaseStore {
  readonly #connection: SqliteConnection;
  readonly #clock: { now(): number };

  constructor(connection: SqliteConnection, clock: { now(): number }) {
    this.#connection = connection;
    this.#clock = clock;
  }

  async acquire(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    checkName('name', name);
    checkName('owner', owner);
    const ms = ttlMs('ttl', ttl);
    const now = this.#clock.now();
    return this.#connection.write(() => {
      const row = this.#row(name);
      if (row === undefined) return this.#write(name, owner, 1, now + ms);
      if (row.owner !== undefined && row.expiresAt > now) {
        // The holder extends its lease and keeps its token; anybody else is refused.
        return row.owner === owner ? this.#write(name, owner, row.token, now + ms) : undefined;
      }
      // Free (released or expired): a new holding, a higher token.
      return this.#write(name, owner, row.token + 1, now + ms);
    });
  }

  async renew(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    checkName('name', name);
    checkName('owner', owner);
    const ms = ttlMs('ttl', ttl);
    const now = this.#clock.now();
    return this.#connection.write(() => {
      const lease = this.#held(name, now);
      if (lease?.owner !== owner) return undefined;
      return this.#write(name, owner, lease.token, now + ms);
    });
  }

  async release(name: string, owner: string): Promise<boolean> {
    checkName('name', name);
    checkName('owner', owner);
    const now = this.#clock.now();
    return this.#connection.write(() => {
      if (this.#held(name, now)?.owner !== owner) return false;
      this.#connection
        .statement('UPDATE vigil_leases SET owner = NULL, expires_at = ? WHERE name = ?')
        .run(now, name);
      return true;
    });
  }

  async get(name: string): Promise<Lease | undefined> {
    checkName('name', name);
    const now = this.#clock.now();
    return this.#connection.read(() => this.#held(name, now));
  }

  /** The live lease of `name`, if any. */
  #held(name: string, now: number): Lease | undefined {
    const row = this.#row(name);
    if (row?.owner === undefined || row.expiresAt <= now) return undefined;
    return { name, owner: row.owner, token: row.token, expiresAt: row.expiresAt };
  }

  /** The row of `name`, checked (`STORE_CORRUPT` if malformed); `owner` undefined once released. */
  #row(name: string): (Omit<Lease, 'owner'> & { owner: string | undefined }) | undefined {
    const row = this.#connection.statement(SELECT).get(name) as LeaseRow | undefined;
    if (row === undefined) return undefined;
    const released = row.owner === null;
    const lease = checkShape(
      `lease '${name}'`,
      released ? { ...row, owner: 'released' } : row,
      leaseSchema,
    );
    return { ...lease, owner: released ? undefined : lease.owner };
  }

  #write(name: string, owner: string, token: number, expiresAt: number): Lease {
    this.#connection
      .statement(
        `INSERT INTO vigil_leases (name, owner, token, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET
           owner = excluded.owner, token = excluded.token, expires_at = excluded.expires_at`,
      )
      .run(name, owner, token, expiresAt);
    return { name, owner, token, expiresAt };
  }
}
