import type { DurationInput } from '@vigil/core';
import type { Lease, LeaseStore } from '@vigil/storage';
import { checkName, corrupt, decodeJson, leaseSchema, ttlMs } from '@vigil/storage/adapter';
import type { RedisContext } from './redis-context.js';
import { collectAfter } from './redis-context.js';
import { runScript, type ScriptName } from './redis-scripts.js';

/**
 * `LeaseStore` on Redis: each lease is a JSON string written with `SET NX PX` when free, and
 * acquired, renewed and released by owner in Lua scripts that compare `expiresAt` with the
 * store's clock. Fencing tokens come from `INCR` of a per-lease counter that outlives the lease.
 */
export class RedisLeases implements LeaseStore {
  readonly #context: RedisContext;

  constructor(context: RedisContext) {
    this.#context = context;
  }

  acquire(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    return this.#write('vigilLeaseAcquire', 'acquire', name, owner, ttl);
  }

  renew(name: string, owner: string, ttl: DurationInput): Promise<Lease | undefined> {
    return this.#write('vigilLeaseRenew', 'renew', name, owner, ttl);
  }

  async release(name: string, owner: string): Promise<boolean> {
    checkName('name', name);
    checkName('owner', owner);
    const { connection, keys, clock } = this.#context;
    const released = await connection.run(`leases.release('${name}')`, (client) =>
      runScript(
        client,
        'vigilLeaseRelease',
        [keys.lease(name)],
        ['', '', owner, String(clock.now())],
      ),
    );
    return released === 1;
  }

  async get(name: string): Promise<Lease | undefined> {
    checkName('name', name);
    const { connection, keys, clock } = this.#context;
    const what = `leases.get('${name}')`;
    const text = await connection.run(what, (client) => client.get(keys.lease(name)));
    if (text === null) return undefined;
    const lease = this.#decode(name, text);
    return lease.expiresAt > clock.now() ? lease : undefined;
  }

  async #write(
    script: ScriptName,
    verb: string,
    name: string,
    owner: string,
    ttl: DurationInput,
  ): Promise<Lease | undefined> {
    checkName('name', name);
    checkName('owner', owner);
    const ms = ttlMs('ttl', ttl);
    const { connection, keys, clock } = this.#context;
    const now = clock.now();
    const text = await connection.run(`leases.${verb}('${name}')`, (client) =>
      runScript(
        client,
        script,
        [keys.lease(name), keys.leaseToken(name)],
        [
          JSON.stringify(name),
          JSON.stringify(owner),
          owner,
          String(now),
          String(now + ms),
          collectAfter(ms),
        ],
      ),
    );
    return text === null ? undefined : this.#decode(name, text);
  }

  #decode(name: string, text: unknown): Lease {
    const lease = decodeJson(`lease '${name}'`, text, leaseSchema);
    if (lease.name !== name) throw corrupt(`lease '${name}'`, `it names lease '${lease.name}'`);
    return lease;
  }
}
