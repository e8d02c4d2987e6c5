import type { DurationInput } from '@vigil/core';
import { z } from 'zod';
import { checkName } from '../adapter/check-arguments.js';
import { decodeJson } from '../adapter/decode.js';
import { checkClaim, checkUpdate } from '../adapter/idempotency-arguments.js';
import type { ClaimResult, IdempotencyStore } from '../idempotency-store.js';

const keySchema = z.object({
  value: z.unknown().refine((value) => value !== undefined, 'value is missing'),
  expiresAt: z.number().finite(),
});
type Decoded = z.infer<typeof keySchema>;

/**
 * `IdempotencyStore` in memory, values kept as JSON text. Bounded by `maxKeys`: claiming a new key
 * in a full store first removes expired keys, then evicts the least recently written one (counted
 * in `evicted`; a later claim of it wins again).
 */
export class MemoryIdempotency implements IdempotencyStore {
  readonly #keys = new Map<string, { text: string }>();
  readonly #clock: { now(): number };
  readonly #maxKeys: number;
  readonly #assertOpen: () => void;
  #evicted = 0;

  constructor(clock: { now(): number }, maxKeys: number, assertOpen: () => void) {
    this.#clock = clock;
    this.#maxKeys = maxKeys;
    this.#assertOpen = assertOpen;
  }

  get size(): number {
    return this.#keys.size;
  }

  get evicted(): number {
    return this.#evicted;
  }

  async claim<T>(key: string, value: T, ttl: DurationInput): Promise<ClaimResult<T>> {
    this.#assertOpen();
    const { json, ttl: ms } = checkClaim(key, value, ttl);
    const current = this.#live(key);
    if (current !== undefined) return { claimed: false, value: current.value as T };
    if (!this.#keys.has(key)) this.#makeRoom();
    this.#keys.delete(key);
    this.#keys.set(key, { text: `{"value":${json},"expiresAt":${this.#clock.now() + ms}}` });
    return { claimed: true };
  }

  async update<T>(key: string, value: T): Promise<boolean> {
    this.#assertOpen();
    const json = checkUpdate(key, value);
    const current = this.#live(key);
    if (current === undefined) return false;
    this.#keys.delete(key);
    this.#keys.set(key, { text: `{"value":${json},"expiresAt":${current.expiresAt}}` });
    return true;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    this.#assertOpen();
    checkName('key', key);
    return this.#live(key)?.value as T | undefined;
  }

  async release(key: string): Promise<boolean> {
    this.#assertOpen();
    checkName('key', key);
    let live = true;
    try {
      live = this.#live(key) !== undefined;
    } catch {
      // A corrupt key is released too: that is how it gets repaired.
    }
    return this.#keys.delete(key) && live;
  }

  /** Removes expired keys; returns how many. */
  sweep(): number {
    let removed = 0;
    const now = this.#clock.now();
    for (const [key, entry] of this.#keys) {
      let decoded: Decoded;
      try {
        decoded = decodeJson('an idempotency key', entry.text, keySchema);
      } catch {
        continue;
      }
      if (decoded.expiresAt <= now) {
        this.#keys.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Test hook: replaces the stored text of a key. */
  overwrite(key: string, text: string): void {
    const entry = this.#keys.get(key);
    if (entry === undefined) throw new Error(`no idempotency key '${key}' to corrupt`);
    entry.text = text;
  }

  #makeRoom(): void {
    if (this.#keys.size < this.#maxKeys) return;
    this.sweep();
    for (const key of this.#keys.keys()) {
      if (this.#keys.size < this.#maxKeys) return;
      this.#keys.delete(key);
      this.#evicted++;
    }
  }

  #live(key: string): Decoded | undefined {
    const entry = this.#keys.get(key);
    if (entry === undefined) return undefined;
    const decoded = decodeJson(`idempotency key '${key}'`, entry.text, keySchema);
    return decoded.expiresAt > this.#clock.now() ? decoded : undefined;
  }
}
