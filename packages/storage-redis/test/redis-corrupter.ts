import type { Corrupter } from '@vigil/storage/testing';
import type { Redis } from 'ioredis';
import { KeySpace } from '../src/key-space.js';

/**
 * Writes malformed data with a raw ioredis client where a `RedisStore` under `prefix` keeps each
 * item: a bad field, invalid JSON, a missing field, a lease that breaks the schema, labels of the
 * wrong type.
 */
export function redisCorrupter(client: Redis, prefix: string): Corrupter {
  const keys = new KeySpace(prefix);
  return {
    record: async (namespace, key) => {
      await client.hset(keys.record(namespace, key), 'version', 'one');
    },
    deadLetter: async (id) => {
      await client.hset(keys.deadLetter(id), 'letter', '{"id": broken');
    },
    idempotency: async (key) => {
      await client.hdel(keys.idempotency(key), 'expiresAt');
    },
    lease: async (name) => {
      await client.set(
        keys.lease(name),
        JSON.stringify({ name, owner: '', token: -1, expiresAt: 0 }),
      );
    },
    series: async (metric) => {
      const index = keys.seriesIndex(metric);
      const members = await client.zrange(index, 0, -1);
      await client.zrem(index, ...members);
      await client.zadd(index, 1, '{"job":7}');
    },
  };
}
