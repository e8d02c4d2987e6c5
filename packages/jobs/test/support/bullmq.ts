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

/** Lets `ms` of real time pass. */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits (real time, polling) until `condition` holds; throws naming `what` after `timeout` ms. */
export async function until(
  condition: () => boolean,
  what: string,
  timeout = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(10);
  }
}
