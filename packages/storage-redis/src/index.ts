export { RedisStore } from './redis-store.js';
export type { RedisStoreBaseOptions, RedisStoreOptions } from './redis-store-options.js';
