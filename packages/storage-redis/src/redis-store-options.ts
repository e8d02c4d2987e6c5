import type { DurationInput } from '@vigil/core';
import type { StoreOptions } from '@vigil/storage';
import type { Redis } from 'ioredis';

/** Options every `RedisStore` takes besides where Redis is. */
export interface RedisStoreBaseOptions extends StoreOptions {
  /**
   * Prepended to every key, so that several applications (or tests) share one Redis without
   * seeing each other's data; default `'vigil:'`.
   */
  readonly keyPrefix?: string | undefined;
  /**
   * How long one call may take before it fails with `STORE_UNAVAILABLE` (also ioredis's
   * `commandTimeout` and `connectTimeout` on a client the store creates); default `'5s'`.
   */
  readonly timeout?: DurationInput | undefined;
}

/** Where Redis is: a URL (the store creates and closes its client) or an ioredis client. */
export type RedisStoreOptions = RedisStoreBaseOptions &
  (
    | {
        /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
        readonly url: string;
        readonly client?: undefined;
      }
    | {
        /**
         * An ioredis client of your own, shared with the rest of the application; `close()`
         * leaves it open. It should not set ioredis's own `keyPrefix` (use `keyPrefix` here).
         */
        readonly client: Redis;
        readonly url?: undefined;
      }
  );
