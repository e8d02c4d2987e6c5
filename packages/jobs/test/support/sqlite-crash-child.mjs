// A child process of test/sqlite-crash.test.ts, run on the BUILT package (`pnpm --filter
// @vigil/jobs build` first). argv: <database> <side-effect log> <mode> [count] [first].
//   enqueue: enqueues `count` jobs (payloads first, first + 1, ...), printing `acked <id>` the
//            moment each enqueue resolves, and runs whatever is queued, until the parent kills it.
//   drain:   runs what the database holds until nothing is left, then prints `drained`.
// The handler appends the job's id to the side-effect log, once it is done (some take a few ms).
// Every line goes out with writeSync: on Linux a pipe write is synchronous, so a line the parent
// reads was written before the kill.
import { appendFileSync, writeSync } from 'node:fs';
import { JobRunner } from '../../dist/index.js';
import { sqliteBackend } from '../../dist/sqlite/index.js';

const [path, log, mode, countText = '0', firstText = '0'] = process.argv.slice(2);
const say = (line) => writeSync(1, `${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const jobs = new JobRunner({
  backend: sqliteBackend({ path, lease: 200 }),
  concurrency: 8,
  onError: (error) => writeSync(2, `onError: ${error?.stack ?? error}\n`),
  types: {
    work: {
      breaker: false,
      handler: async (n, context) => {
        if (n % 3 === 0) await sleep(1 + (n % 4));
        appendFileSync(log, `${context.jobId}\n`);
      },
    },
  },
});
await jobs.ready();
say('ready');

if (mode === 'enqueue') {
  const count = Number(countText);
  const first = Number(firstText);
  const acks = [];
  for (let i = 0; i < count; i++) {
    acks.push(jobs.enqueue('work', first + i).then((id) => say(`acked ${id}`)));
    // Bursts of 25, one event-loop turn apart: some commits of adds, some of completions.
    if (i % 25 === 24) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(acks);
}
while (jobs.counts.queued + jobs.counts.running > 0) await sleep(10);
await jobs.close();
say('drained');
