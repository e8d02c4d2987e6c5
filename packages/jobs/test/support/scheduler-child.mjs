// One instance of a scheduler cluster, for test/scheduler-cluster.test.ts: a JobRunner on a real
// Redis or PostgreSQL store with one schedule firing every second. Each run appends its tick and
// this instance's name to a shared log (the side effect the test counts); the instance says on
// stdout when it becomes the leader. Built packages: run `pnpm build` first.
// Usage: node scheduler-child.mjs <redis|postgres> <url> <namespace> <owner> <log file>
import { appendFileSync } from 'node:fs';
import { JobRunner } from '../../dist/index.js';

const [kind, url, namespace, owner, log] = process.argv.slice(2);
const store =
  kind === 'redis'
    ? new (await import('@vigil/storage-redis')).RedisStore({ url, keyPrefix: `${namespace}:` })
    : new (await import('@vigil/storage-postgres')).PostgresStore({ url, schema: namespace });

const jobs = new JobRunner({
  store,
  scheduler: { lease: 1_500, owner },
  types: {
    tick: {
      handler: (payload) => {
        appendFileSync(log, `${payload.tick} ${owner}\n`);
      },
    },
  },
});
jobs.schedule('every-second', '* * * * * *', {
  type: 'tick',
  payload: (tick) => ({ tick: tick.getTime() }),
});

let leading = false;
setInterval(() => {
  if (jobs.scheduler.leader !== leading) {
    leading = jobs.scheduler.leader;
    process.stdout.write(`${leading ? 'leader' : 'follower'} ${owner}\n`);
  }
}, 50);

process.on('SIGTERM', async () => {
  await jobs.close({ timeout: 1_000 });
  await store.close();
  process.exit(0);
});
process.stdout.write(`ready ${owner}\n`);
