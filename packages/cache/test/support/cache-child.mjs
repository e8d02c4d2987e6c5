// The other instance of a cache, for test/redis-tier-processes.test.ts: a Cache with a Redis
// tier, answering one line per command on stdin: `get <key>` (through the cache; the loader
// answers "loaded-by-child") and `has <key>` (is it in memory). Built package: `pnpm build` first.
// Usage: node cache-child.mjs <redis url> <key prefix>
import { createInterface } from 'node:readline';
import { Cache } from '../../dist/index.js';
import { redisTier } from '../../dist/redis/index.js';

const [url, keyPrefix] = process.argv.slice(2);
const cache = new Cache({
  name: 'shared',
  max: 1_000,
  ttl: '1m',
  l2: redisTier({
    url,
    keyPrefix,
    timeout: '200ms',
    resetTimeout: '300ms',
    onError: () => undefined,
  }),
});
createInterface({ input: process.stdin }).on('line', async (line) => {
  const [command, key] = line.split(' ');
  const answer =
    command === 'has' ? cache.has(key) : await cache.getOrSet(key, () => 'loaded-by-child');
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
process.stdout.write('ready\n');
