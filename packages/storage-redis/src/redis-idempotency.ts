import { randomUUID } from 'node:crypto';
import type { DurationInput } from '@vigil/core';
import { type ClaimResult, type IdempotencyStore, StoreError } from '@vigil/storage';
import { checkClaim, checkName, checkUpdate, corrupt } from '@vigil/storage/adapter';
import { OrphanClaims } from './orphan-claims.js';
import { collectAfter, type RedisContext } from './redis-context.js';
import { runScript } from './redis-scripts.js';

/**
 * `IdempotencyStore` on Redis: a hash per key (`value`, `expiresAt`, the claim's `token`), claimed
 * by a Lua set-if-absent that treats a key whose `expiresAt` has passed (by the store's clock) as
 * absent. A claim reported `STORE_UNAVAILABLE` may have been applied: the next claim of its key
 * through this store takes it over (`claimed: true`), by its token.
 */
export class RedisIdempotency implements IdempotencyStore {
  readonly #context: RedisContext;
  readonly #orphans = new OrphanClaims();

  constructor(context: RedisContext) {
    this.#context = context;
  }

  async claim<T>(key: string, value: T, ttl: DurationInput): Promise<ClaimResult<T>> {
    const { json, ttl: ms } = checkClaim(key, value, ttl);
    const { connection, keys, clock } = this.#context;
    const now = clock.now();
    const token = randomUUID();
    let reply: unknown;
    try {
      reply = await connection.run(`idempotency.claim('${key}')`, (client) =>
        runScript(
          client,
          'vigilIdempotencyClaim',
          [keys.idempotency(key)],
          [
            json,
            String(now),
            String(now + ms),
            collectAfter(ms),
            token,
            this.#orphans.tokens(key, now),
          ],
        ),
      );
    } catch (error) {
      // The claim may have been applied: the retry takes it over (see OrphanClaims).
      if (error instanceof StoreError && error.code === 'STORE_UNAVAILABLE') {
        this.#orphans.add(key, token, now + ms);
      }
      throw error;
    }
    this.#orphans.settle(key);
    const [claimed, stored] = reply as [number, string?];
    if (claimed === 1) return { claimed: true };
    return { claimed: false, value: decodeValue(key, stored) as T };
  }

  async update<T>(key: string, value: T): Promise<boolean> {
    const json = checkUpdate(key, value);
    const { connection, keys, clock } = this.#context;
    const updated = await connection.run(`idempotency.update('${key}')`, (client) =>
      runScript(
        client,
        'vigilIdempotencyUpdate',
        [keys.idempotency(key)],
        [json, String(clock.now())],
      ),
    );
    return updated === 1;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkName('key', key);
    const { connection, keys, clock } = this.#context;
    const [value, expiresAt] = await connection.run(`idempotency.get('${key}')`, (client) =>
      client.hmget(keys.idempotency(key), 'value', 'expiresAt'),
    );
    if (value == null && expiresAt == null) return undefined;
    const expiry = Number(expiresAt ?? Number.NaN);
    if (expiresAt === '' || !Number.isFinite(expiry)) {
      throw corrupt(
        describe(key),
        `expiresAt should be ms since the epoch, got ${JSON.stringify(expiresAt)}`,
      );
    }
    const decoded = decodeValue(key, value);
    return expiry > clock.now() ? (decoded as T) : undefined;
  }

  async release(key: string): Promise<boolean> {
    checkName('key', key);
    const { connection, keys, clock } = this.#context;
    const released = await connection.run(`idempotency.release('${key}')`, (client) =>
      runScript(client, 'vigilIdempotencyRelease', [keys.idempotency(key)], [String(clock.now())]),
    );
    return released === 1;
  }
}

function decodeValue(key: string, text: string | null | undefined): unknown {
  if (text == null) throw corrupt(describe(key), 'the value is missing');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(describe(key), 'the value is not valid JSON', error);
  }
}

function describe(key: string): string {
  return `idempotency key '${key}'`;
}
