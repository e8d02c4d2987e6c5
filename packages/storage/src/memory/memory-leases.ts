import type { DurationInput } from '@vigil/core';
import { checkName, ttlMs } from '../adapter/check-arguments.js';
import { decodeJson, leaseSchema } from '../adapter/decode.js';
import type { Lease, LeaseStore } from '../lease-store.js';

/**
 * `LeaseStore` in memory, each lease kept as JSON text. A released or expired lease stays as an
 * entry (expired), so that the next holder's fencing token is still higher: one entry per lease
 * name ever used (names are few: one per singleton task).
 */
export class MemoryLeases implements LeaseStore {
  readonly #leases = new Map<string, { text: string }>();
  readonly #clock: { now(): number };
  readonly #assertOpen: () => void;

  constructor(clock: { now(): number }, assertOpen: () => void) {
    this.#clock = clock;
    this.#assertOpen = assertOpen;
  }

  get size(): number {
    return this.#leases.size;
  }

  async acquire(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    this.#assertOpen();
    const ms = this.#check(name, owner, ttl);
    const now = this.#clock.now();
    const current = this.#read(name);
    if (current !== undefined && current.expiresAt > now) {
      if (current.owner !== owner) return undefined;
      return this.#write({ name, owner, token: current.token, expiresAt: now + ms });
    }
    return this.#write({ name, owner, token: (current?.token ?? 0) + 1, expiresAt: now + ms });
  }

  async renew(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    this.#assertOpen();
    const ms = this.#check(name, owner, ttl);
    const now = this.#clock.now();
    const current = this.#read(name);
    if (current === undefined || current.expiresAt <= now || current.owner !== owner) {
      return undefined;
    }
    return this.#write({ ...current, expiresAt: now + ms });
  }

  async release(name: string, owner: string): Promise<boolean> {
    this.#assertOpen();
    checkName('name', name);
    checkName('owner', owner);
    const now = this.#clock.now();
    const current = this.#read(name);
    if (current === undefined || current.expiresAt <= now || current.owner !== owner) return false;
    this.#write({ ...current, expiresAt: now });
    return true;
  }

  async get(name: string): Promise<Lease | undefined> {
    this.#assertOpen();
    checkName('name', name);
    const current = this.#read(name);
    return current !== undefined && current.expiresAt > this.#clock.now() ? current : undefined;
  }

  /** Test hook: replaces the stored text of a lease. */
  overwrite(name: string, text: string): void {
    const entry = this.#leases.get(name);
    if (entry === undefined) throw new Error(`no lease '${name}' to corrupt`);
    entry.text = text;
  }

  #check(name: string, owner: string, ttl: DurationInput): number {
    checkName('name', name);
    checkName('owner', owner);
    return ttlMs('ttl', ttl);
  }

  #read(name: string): Lease | undefined {
    const entry = this.#leases.get(name);
    return entry === undefined ? undefined : decodeJson(`lease '${name}'`, entry.text, leaseSchema);
  }

  #write(lease: Lease): Lease {
    this.#leases.set(lease.name, { text: JSON.stringify(lease) });
    return { ...lease };
  }
}
