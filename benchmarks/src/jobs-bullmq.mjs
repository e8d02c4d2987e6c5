// @vigil/jobs' BullMQ backend (`bullmqBackend` from `@vigil/jobs/bullmq`) vs a raw BullMQ
// `Worker` of the same bullmq (6.7.6) on the same Redis: 10,000 no-op jobs at concurrency 8.
//
// Redis: a throw-away server of scripts/redis.sh (AOF on, appendfsync everysec, noeviction) on
// 127.0.0.1:56390, its data in a temp folder; stopped (and the folder removed) at the end.
//
// Per measurement, a fresh key prefix (deleted after): the runner / worker and the queue are
// built and ready before the clock starts. Then 10,000 single adds issued at once and awaited
// with `Promise.all` (Vigil `jobs.enqueue('noop', null)`; raw `queue.add('noop', null,
// { removeOnComplete: true, removeOnFail: true })`, as Vigil removes its completed jobs too);
// the clock stops when every job has completed (Vigil: the runner's `completed` events; raw: the
// worker's `completed` events) and every add has been acknowledged. Measured with it: this
// process's CPU time (`process.cpuUsage()`, user + system) and Redis's (`INFO cpu`,
// used_cpu_user + used_cpu_sys), both ÷ jobs. After the clock: the runner / worker closed, the
// queue checked empty, its keys deleted. `gc()` before each. After a warm-up of each variant,
// ROUNDS rounds measure each variant once, the order reversed every other round; ratio = the
// median of the rounds' (Vigil time ÷ raw time).
//
//   node --expose-gc src/jobs-bullmq.mjs [--quick]   (prints one JSON line)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobRunner } from '@vigil/jobs';
import { bullmqBackend } from '@vigil/jobs/bullmq';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { median } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const JOBS = 10_000;
const CONCURRENCY = 8;
const ROUNDS = quick ? 2 : 5;
const PORT = 56390;
const TYPE = 'noop';

const noop = () => undefined;
const ids = Array.from({ length: JOBS }, (_, i) => i);

function collect() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  for (let i = 0; i < 4; i++) global.gc();
}

function redisScript(action, dir) {
  return execFileSync(
    'bash',
    [join(here, '..', '..', 'scripts', 'redis.sh'), action, String(PORT), dir],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
}

/** Redis's own CPU time so far (main thread and its helper threads), µs. */
async function redisCpu(admin) {
  const info = await admin.info('cpu');
  const field = (name) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)[1]);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
}

/** A key prefix no other measurement used (BullMQ's `prefix`; no ':' for Vigil's). */
const freshPrefix = (name) => `bench-${name}-${randomBytes(4).toString('hex')}`;

/** Checks that no job is left under `prefix`, then deletes every key under it. */
async function cleanUp(admin, prefix) {
  const base = `${prefix}:${TYPE}`;
  const left =
    (await admin.llen(`${base}:wait`)) +
    (await admin.llen(`${base}:active`)) +
    (await admin.zcard(`${base}:prioritized`)) +
    (await admin.zcard(`${base}:delayed`)) +
    (await admin.zcard(`${base}:completed`)) +
    (await admin.zcard(`${base}:failed`));
  const keys = [];
  let cursor = '0';
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  for (let i = 0; i < keys.length; i += 1000) await admin.del(...keys.slice(i, i + 1000));
  // Queue bookkeeping (id, meta, events, marker, …) is a dozen keys; a job kept would add one.
  if (left !== 0 || keys.length > 30) {
    throw new Error(`${prefix}: ${left} jobs left in the queue's sets, ${keys.length} keys`);
  }
}

// Each variant builds its runner / worker and queue (ready), then answers `submit` (the 10,000
// adds, resolving once all are acknowledged), `done` (resolves once every job has completed) and
// `close` (after the clock).

const variants = {
  async vigil(url, prefix) {
    const jobs = new JobRunner({
      concurrency: CONCURRENCY,
      types: { [TYPE]: { handler: noop, concurrency: CONCURRENCY } },
      backend: bullmqBackend({ url, prefix }),
    });
    await jobs.ready();
    let completed = 0;
    let finish;
    const done = new Promise((resolve) => {
      finish = resolve;
    });
    jobs.on('completed', () => {
      if (++completed === JOBS) finish();
    });
    return {
      submit: () => Promise.all(ids.map(() => jobs.enqueue(TYPE, null))),
      done,
      close: async () => {
        const ran = jobs.stats()[TYPE].completed;
        if (ran !== JOBS) throw new Error(`vigil: ${JOBS} jobs, ${ran} completed`);
        await jobs.close();
      },
    };
  },
  async raw(url, prefix) {
    // The same connections as Vigil's backend: one ioredis client for the queue, one for the
    // worker (BullMQ duplicates it for its blocking reads).
    const submitting = new Redis(url, { maxRetriesPerRequest: null });
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue(TYPE, { connection: submitting, prefix });
    const worker = new Worker(TYPE, noop, { connection, prefix, concurrency: CONCURRENCY });
    for (const emitter of [queue, worker]) emitter.on('error', (error) => console.error(error));
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    let completed = 0;
    let finish;
    const done = new Promise((resolve) => {
      finish = resolve;
    });
    worker.on('completed', () => {
      if (++completed === JOBS) finish();
    });
    const options = { removeOnComplete: true, removeOnFail: true };
    return {
      submit: () => Promise.all(ids.map(() => queue.add(TYPE, null, options))),
      done,
      close: async () => {
        if (completed !== JOBS) throw new Error(`raw: ${JOBS} jobs, ${completed} completed`);
        await worker.close();
        await queue.close();
        submitting.disconnect();
        connection.disconnect();
      },
    };
  },
};
const VARIANTS = Object.keys(variants);

/** One measurement of `name` under a fresh prefix. */
async function measure(name, url, admin) {
  const prefix = freshPrefix(name);
  try {
    const { submit, done, close } = await variants[name](url, prefix);
    collect();
    const redisBefore = await redisCpu(admin);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let ackedMs = 0;
    await Promise.all([
      submit().then(() => {
        ackedMs = performance.now() - started;
      }),
      done,
    ]);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const redisUs = (await redisCpu(admin)) - redisBefore;
    await close();
    return {
      jobsPerSecond: (JOBS * 1000) / ms,
      ms,
      ackedPerSecond: (JOBS * 1000) / ackedMs,
      cpuUsPerJob: (cpu.user + cpu.system) / JOBS,
      redisCpuUsPerJob: redisUs / JOBS,
    };
  } finally {
    await cleanUp(admin, prefix);
  }
}

async function run(url) {
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const name of VARIANTS) await measure(name, url, admin); // warm-up: JIT, Redis scripts
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      const round = {};
      for (const name of order) round[name] = await measure(name, url, admin);
      rounds.push(round);
    }
    const of = (name, key) => median(rounds.map((round) => round[name][key]));
    const figures = (name) => ({
      jobsPerSecond: of(name, 'jobsPerSecond'),
      ackedPerSecond: of(name, 'ackedPerSecond'),
      cpuUsPerJob: of(name, 'cpuUsPerJob'),
      redisCpuUsPerJob: of(name, 'redisCpuUsPerJob'),
    });
    const bullmqVersion = JSON.parse(
      readFileSync(join(here, '..', 'node_modules', 'bullmq', 'package.json'), 'utf8'),
    ).version;
    return {
      jobs: JOBS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      bullmq: bullmqVersion,
      redis: (await admin.info('server')).match(/^redis_version:(.*)$/m)?.[1].trim(),
      vigil: figures('vigil'),
      raw: figures('raw'),
      // Vigil's time ÷ raw's, per round (both ran back to back), then the median.
      ratio: median(rounds.map((round) => round.vigil.ms / round.raw.ms)),
      perRound: rounds.map((round) => ({
        vigil: round.vigil.jobsPerSecond,
        raw: round.raw.jobsPerSecond,
        ratio: round.vigil.ms / round.raw.ms,
      })),
    };
  } finally {
    admin.disconnect();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-bullmq-'));
const redisDir = join(dir, 'redis');
try {
  const url = redisScript('start', redisDir);
  process.stderr.write(`jobs-bullmq: Redis at ${url}\n`);
  printJson(await run(url));
} finally {
  redisScript('stop', redisDir);
  rmSync(dir, { recursive: true, force: true });
}
