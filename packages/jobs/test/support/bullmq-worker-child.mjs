// One worker instance of a BullMQ fleet, for test/bullmq-cluster.test.ts: a JobRunner on the
// BullMQ backend (short locks, so that a killed worker's jobs are found stalled quickly) with
// dead letters in a RedisStore. Each `order` job logs its start, waits, does its side effect
// once per idempotency key (guarded by the store's IdempotencyStore), and logs its end; a job
// this instance runs again after its worker died is logged as recovered. Built packages: run
// `pnpm build` first.
// Usage: node bullmq-worker-child.mjs <redis url> <prefix> <name> <log file>
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisStore } from '@vigil/storage-redis';
import { bullmqBackend } from '../../dist/bullmq/index.js';
import { JobRunner } from '../../dist/index.js';

const [url, prefix, name, log] = process.argv.slice(2);
const store = new RedisStore({ url, keyPrefix: `${prefix}-store:` });
const line = (text) => appendFileSync(log, `${text}\n`);

const jobs = new JobRunner({
  store,
  concurrency: 2,
  backend: bullmqBackend({ url, prefix, lockDuration: 2_000, stalledInterval: 500 }),
  types: {
    order: {
      handler: async (payload, context) => {
        line(`start ${payload.n} ${name}`);
        await sleep(payload.ms);
        const guard = await store.idempotency.claim(`effect:${context.idempotencyKey}`, name, '1h');
        if (guard.claimed) line(`effect ${payload.n} ${name}`);
        line(`done ${payload.n} ${name}`);
      },
    },
  },
});
jobs.on('recovered', (event) => line(`recovered ${event.jobId} ${name}`));

process.on('SIGTERM', async () => {
  await jobs.close({ timeout: 5_000 });
  await store.close();
  process.exit(0);
});
await jobs.ready();
process.stdout.write(`ready ${name}\n`);
