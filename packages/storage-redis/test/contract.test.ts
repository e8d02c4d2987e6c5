import { CONTRACT_STORE_OPTIONS, describeStoreContract } from '@vigil/storage/testing';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { RedisStore } from '../src/index.js';
import { redisCorrupter } from './redis-corrupter.js';
import { dropPrefix, uniquePrefix } from './redis-test-data.js';

describeStoreContract('RedisStore', {
  setup: async (clock) => {
    const url = inject('redisUrl');
    const keyPrefix = uniquePrefix();
    const options = { ...CONTRACT_STORE_OPTIONS, clock, url, keyPrefix };
    const store = new RedisStore(options);
    const second = new RedisStore(options);
    const raw = new Redis(url);
    return {
      store,
      second,
      clock,
      corrupt: redisCorrupter(raw, keyPrefix),
      cleanup: async () => {
        await store.close();
        await second.close();
        await dropPrefix(raw, keyPrefix);
        await raw.quit();
      },
    };
  },
  timeout: 30_000,
});
