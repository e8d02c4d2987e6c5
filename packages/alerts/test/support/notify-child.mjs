// One instance of a notifying fleet, for test/notify-cluster.test.ts: an AlertEngine and a
// Notifier on a real Redis store, sending to a webhook. Every instance sets the same storm of
// alerts from the wall clock: alert n is active from start + n × 300 ms for 12 s. It says on stdout
// when it leads. Built packages: run `pnpm build` first.
// Usage: node notify-child.mjs <redis url> <namespace> <instance> <webhook url> <start ms>
import { Registry } from '@vigil/core';
import { RedisStore } from '@vigil/storage-redis';
import { AlertEngine, Notifier, webhookChannel } from '../../dist/index.js';

const [url, namespace, instance, hook, startText] = process.argv.slice(2);
const start = Number(startText);
const ALERTS = 30;

const store = new RedisStore({ url, keyPrefix: `${namespace}:` });
const registry = new Registry();
const storm = registry.gauge({
  name: 'storm_active',
  help: 'Whether alert n of the storm is active',
  labelNames: ['n'],
  collect() {
    const elapsed = Date.now() - start;
    for (let n = 0; n < ALERTS; n++) {
      const from = n * 300;
      this.labels({ n: String(n) }).set(elapsed >= from && elapsed < from + 12_000 ? 1 : 0);
    }
  },
});
void storm;
const engine = new AlertEngine({
  registry,
  store,
  instance,
  evaluationInterval: '1s',
  lease: { ttl: '3s' },
  metrics: false,
  groups: [{ name: 'storm', rules: [{ name: 'Storm', expr: 'max by (n) (storm_active) > 0' }] }],
});
const notifier = new Notifier({
  route: {
    receiver: 'hook',
    groupBy: ['...'],
    groupWait: '0s',
    groupInterval: '1s',
    repeatInterval: '1h',
  },
  receivers: { hook: webhookChannel({ url: hook, timeout: '2s' }) },
  store,
  cooldowns: false,
  retryDelay: '200ms',
});
notifier.watch(engine);
engine.on('leadership', ({ leader }) => {
  process.stdout.write(`${leader ? 'leader' : 'follower'} ${instance}\n`);
});
engine.start();

process.on('SIGTERM', async () => {
  await engine.close();
  await notifier.close();
  await store.close();
  process.exit(0);
});
process.stdout.write(`ready ${instance}\n`);
