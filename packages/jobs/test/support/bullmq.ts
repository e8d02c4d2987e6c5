import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A key prefix no other test uses: BullMQ's keys of one test stay apart from the others'. */
export function uniquePrefix(): string {
  return `vigil-test-${randomBytes(5).toString('hex')}`;
}

/** Deletes every key under `prefix` (BullMQ's queues and the store's keys of one test). */
export async function deleteKeys(url: string, ...prefixes: string[]): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length !== 0) await client.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}
