import { RedisStore } from '@vigil/storage-redis';
import { inject } from 'vitest';
import { bullmqBackend } from '../src/bullmq/index.js';
import { JobRunner } from '../src/index.js';
import { describeJobBackendContract } from '../src/testing/index.js';
import { deleteKeys, uniquePrefix } from './support/bullmq.js';

const url = inject('redisUrl');

describeJobBackendContract('bullmq', {
  timeout: 20_000,
  setup: async () => {
    const prefix = uniquePrefix();
    // Dead letters in Redis too: every runner of a test (and every process of a fleet) shares them.
    const store = new RedisStore({ url, keyPrefix: `${prefix}-store:` });
    return {
      durable: true,
      time: 'real',
      runner: (options) =>
        new JobRunner({ ...options, store, backend: bullmqBackend({ url, prefix }) }),
      cleanup: async () => {
        await store.close();
        await deleteKeys(url, prefix);
      },
    };
  },
});
