import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A key prefix no other test uses, so tests share the Redis server without seeing each other. */
export function uniquePrefix(): string {
  return `test:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (SCAN, bounded by the number of keys). */
export async function dropPrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(
      cursor,
      'MATCH',
      `${escapeGlob(prefix)}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
