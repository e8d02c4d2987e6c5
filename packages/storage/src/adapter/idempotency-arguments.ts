import type { DurationInput } from '@vigil/core';
import { checkName, encodeJson, ttlMs } from './check-arguments.js';

/** What `claim` stores, checked. */
export interface Claim {
  /** The value as JSON text. */
  readonly json: string;
  /** The TTL in ms. */
  readonly ttl: number;
}

/** Checks the arguments of `IdempotencyStore.claim` (key, value, ttl), in that order. */
export function checkClaim(key: unknown, value: unknown, ttl: DurationInput): Claim {
  checkName('key', key);
  const json = encodeJson('value', value);
  return { json, ttl: ttlMs('ttl', ttl) };
}

/** Checks the arguments of `IdempotencyStore.update`; returns the value as JSON text. */
export function checkUpdate(key: unknown, value: unknown): string {
  checkName('key', key);
  return encodeJson('value', value);
}
