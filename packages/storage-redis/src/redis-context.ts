import type { KeySpace } from './key-space.js';
import type { RedisConnection } from './redis-connection.js';

/** What each part of a `RedisStore` shares. */
export interface RedisContext {
  readonly connection: RedisConnection;
  readonly keys: KeySpace;
  /** The injected clock: every expiry is decided against it, never against Redis's own clock. */
  readonly clock: { now(): number };
}

/**
 * Milliseconds after which Redis may drop a key whose logical TTL is `ttlMs` (`PX`/`PEXPIRE`):
 * garbage collection only, generous (twice the TTL plus a minute) so that it never runs ahead of
 * the injected clock in a test, and close to real time with the default clock.
 */
export function collectAfter(ttlMs: number): string {
  return String(Math.ceil(ttlMs * 2 + 60_000));
}
