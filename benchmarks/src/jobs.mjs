// @vigil/jobs' JobRunner vs p-limit 7 and p-queue 9, the libraries a user would otherwise run
// async work with at a concurrency limit:
//
//  1. Throughput: 100,000 no-op jobs at concurrency 8 on the memory backend, with metrics (a
//     `registry`). Vigil both ways a user would write it: `Promise.all` over
//     `jobs.run('noop', null).result` (`run` answers the handle at once), and
//     `jobs.enqueue('noop', null)` for each then waiting for `drained`; p-limit
//     `Promise.all(ids.map(() => limit(() => noop())))`;
//     p-queue `queue.add(noop)` for each, then `await queue.onIdle()`. The same `noop` function
//     (`() => undefined`) and the same id array for all. A fresh runner / limiter / queue per
//     measurement, built (and the runner opened) before the clock starts, `gc()` before each;
//     after a warm-up of each variant, ROUNDS rounds measure every variant once, the order reversed
//     every other round. Ratios are per round (the variants of a round ran back to back), then
//     the median over the rounds.
//  2. Heap per queued job: 100,000 jobs queued behind a handler that does not settle (concurrency
//     1, every handler awaits one gate), payload `{ id: i }` built before the baseline (excluded
//     for every library), the job's promise not kept (fire and forget): heapUsed delta after
//     `gc()` ÷ 100,000. One library per process (`heap` below), HEAP_RUNS processes per library,
//     alternating; the median.
//  3. SQLite backend (`sqliteBackend({ path })` from `@vigil/jobs/sqlite`, a temp file): 100,000
//     `enqueue('noop', null)` at once, each resolving once durable, until every job has run
//     (`drained`). Beside it, the floor the issue quotes: an append-only log file, `writeSync` per
//     job and `fsyncSync` after every job, or after every 100 jobs. Reported as not available,
//     without failing, while `@vigil/jobs/sqlite` has no `sqliteBackend`.
//
//   node --expose-gc src/jobs.mjs [--quick]                               (prints one JSON line)
//   node --expose-gc src/jobs.mjs heap vigil|p-queue|p-limit [--quick]    (one heap case)
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@vigil/core';
import { JobRunner } from '@vigil/jobs';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { median } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const quick = process.argv.includes('--quick');
const JOBS = quick ? 10_000 : 100_000;
const CONCURRENCY = 8;
const ROUNDS = quick ? 2 : 5;
const HEAP_JOBS = quick ? 10_000 : 100_000;
const HEAP_RUNS = quick ? 1 : 3;
const SQLITE_JOBS = quick ? 10_000 : 100_000;
const SQLITE_ROUNDS = quick ? 2 : 5;
// Jobs appended by the fsync'd log floor: fsync per job is slow (the machine: ~7.6 k/s).
const LOG_PER_JOB = quick ? 1_000 : 10_000;
const LOG_BATCHED = quick ? 10_000 : 100_000;
const LOG_EVERY = 100;
const TMPFS_MAGIC = 0x01021994;

const noop = () => undefined;

function collect() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  for (let i = 0; i < 4; i++) global.gc();
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Resolves once `jobs` has nothing queued or running (at once if that is so already). */
function drained(jobs) {
  const { queued, running } = jobs.counts;
  if (queued === 0 && running === 0) return Promise.resolve();
  return new Promise((resolve) => jobs.once('drained', resolve));
}

function runner(options) {
  return new JobRunner({ registry: new Registry(), ...options });
}

function checkCompleted(jobs, type, count) {
  const completed = jobs.stats()[type].completed;
  if (completed !== count) throw new Error(`${count} jobs, ${completed} completed`);
}

// ---------------------------------------------------------------------------------------------
// 1. Throughput. Each variant builds its runner / limiter / queue, then answers a function that
// runs the jobs and resolves when all have completed, and a check run after the clock stopped.

const ids = Array.from({ length: JOBS }, (_, i) => i);

const variants = {
  async vigilRun() {
    const jobs = runner({
      concurrency: CONCURRENCY,
      types: { noop: { handler: noop, concurrency: CONCURRENCY } },
    });
    await jobs.ready();
    return {
      run: () => Promise.all(ids.map(() => jobs.run('noop', null).result)),
      done: async (results) => {
        if (results.length !== JOBS) throw new Error('vigilRun: missing results');
        checkCompleted(jobs, 'noop', JOBS);
        await jobs.close();
      },
    };
  },
  async vigilEnqueue() {
    const jobs = runner({
      concurrency: CONCURRENCY,
      types: { noop: { handler: noop, concurrency: CONCURRENCY } },
    });
    await jobs.ready();
    return {
      run: () => {
        const done = new Promise((resolve) => jobs.once('drained', resolve));
        for (let i = 0; i < ids.length; i++) jobs.enqueue('noop', null);
        return done;
      },
      done: async () => {
        checkCompleted(jobs, 'noop', JOBS);
        await jobs.close();
      },
    };
  },
  async pLimit() {
    const limit = pLimit(CONCURRENCY);
    return {
      run: () => Promise.all(ids.map(() => limit(() => noop()))),
      done: async (results) => {
        if (results.length !== JOBS || limit.activeCount + limit.pendingCount !== 0) {
          throw new Error('pLimit: jobs left');
        }
      },
    };
  },
  async pQueue() {
    const queue = new PQueue({ concurrency: CONCURRENCY });
    return {
      run: () => {
        for (let i = 0; i < ids.length; i++) queue.add(noop);
        return queue.onIdle();
      },
      done: async () => {
        if (queue.size !== 0 || queue.pending !== 0) throw new Error('pQueue: jobs left');
      },
    };
  },
};
const VARIANTS = Object.keys(variants);

/** Jobs per second of one measurement of `name`. */
async function measureThroughput(name) {
  const { run, done } = await variants[name]();
  collect();
  const started = performance.now();
  const results = await run();
  const ms = performance.now() - started;
  await done(results);
  return (JOBS * 1000) / ms;
}

async function throughput() {
  for (const name of VARIANTS) await measureThroughput(name); // warm-up: JIT, type feedback
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    const round = {};
    for (const name of order) round[name] = await measureThroughput(name);
    rounds.push(round);
  }
  const ratio = (a, b) => median(rounds.map((round) => round[a] / round[b]));
  return {
    jobs: JOBS,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    jobsPerSecond: Object.fromEntries(
      VARIANTS.map((name) => [name, median(rounds.map((round) => round[name]))]),
    ),
    ratio: {
      runVsPLimit: ratio('vigilRun', 'pLimit'),
      runVsPQueue: ratio('vigilRun', 'pQueue'),
      enqueueVsPLimit: ratio('vigilEnqueue', 'pLimit'),
      enqueueVsPQueue: ratio('vigilEnqueue', 'pQueue'),
    },
    perRound: rounds,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Heap per queued job, one library per process. Each library answers `fill(payloads)` (queue
// them all, keeping nothing) and `finish()` (open the gate; resolves once every job ran). The
// blocking job (the first, which takes the only slot) is queued before the baseline.

const queues = {
  async vigil(gate) {
    const jobs = runner({ concurrency: 1, types: { job: { handler: () => gate.promise } } });
    await jobs.ready();
    jobs.enqueue('job', { id: -1 });
    return {
      fill: (payloads) => {
        for (let i = 0; i < payloads.length; i++) jobs.enqueue('job', payloads[i]);
      },
      finish: async (count) => {
        gate.open();
        await drained(jobs);
        checkCompleted(jobs, 'job', count + 1);
        await jobs.close();
      },
    };
  },
  async 'p-queue'(gate) {
    const queue = new PQueue({ concurrency: 1 });
    const work = () => gate.promise;
    queue.add(() => work({ id: -1 }));
    return {
      fill: (payloads) => {
        for (let i = 0; i < payloads.length; i++) {
          const payload = payloads[i];
          queue.add(() => work(payload));
        }
      },
      finish: async () => {
        gate.open();
        await queue.onIdle();
      },
    };
  },
  async 'p-limit'(gate) {
    const limit = pLimit(1);
    const work = () => gate.promise;
    limit(() => work({ id: -1 }));
    return {
      fill: (payloads) => {
        for (let i = 0; i < payloads.length; i++) {
          const payload = payloads[i];
          limit(() => work(payload));
        }
      },
      finish: async () => {
        gate.open();
        await limit(noop); // FIFO at concurrency 1: runs after every job queued before it
      },
    };
  },
};

function makeGate() {
  let open;
  const promise = new Promise((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

async function heapPerJob(library) {
  const make = queues[library];
  if (make === undefined) throw new Error(`unknown library ${library}`);
  // A first fill, on another runner / queue, compiles the code paths before the baseline.
  const warm = await make(makeGate());
  warm.fill(Array.from({ length: HEAP_JOBS / 10 }, (_, i) => ({ id: i })));
  await tick();
  await warm.finish(HEAP_JOBS / 10);
  // The payloads exist before the baseline and stay alive: excluded for every library.
  const payloads = Array.from({ length: HEAP_JOBS }, (_, i) => ({ id: i }));
  const queue = await make(makeGate());
  await tick();
  collect();
  const before = process.memoryUsage();
  queue.fill(payloads);
  await tick(); // lets Vigil's enqueue promises settle (nothing keeps them)
  collect();
  const after = process.memoryUsage();
  await queue.finish(HEAP_JOBS);
  if (payloads.length !== HEAP_JOBS) throw new Error('unreachable');
  return {
    library,
    jobs: HEAP_JOBS,
    bytesPerJob: (after.heapUsed - before.heapUsed) / HEAP_JOBS,
    externalPerJob: (after.external - before.external) / HEAP_JOBS,
  };
}

/** HEAP_RUNS fresh processes per library, the order reversed every other run; medians. */
function heap() {
  const libraries = Object.keys(queues);
  const runs = [];
  for (let r = 0; r < HEAP_RUNS; r++) {
    const order = r % 2 === 0 ? libraries : [...libraries].reverse();
    const run = {};
    for (const library of order) {
      const out = execFileSync(
        process.execPath,
        [
          '--expose-gc',
          fileURLToPath(import.meta.url),
          'heap',
          library,
          ...(quick ? ['--quick'] : []),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const lines = out.trim().split('\n');
      run[library] = JSON.parse(lines[lines.length - 1]).bytesPerJob;
    }
    runs.push(run);
  }
  return {
    jobs: HEAP_JOBS,
    runs: HEAP_RUNS,
    bytesPerJob: {
      vigil: median(runs.map((run) => run.vigil)),
      pQueue: median(runs.map((run) => run['p-queue'])),
      pLimit: median(runs.map((run) => run['p-limit'])),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 3. SQLite backend, and an fsync'd append-only log as the floor.

async function loadSqliteBackend() {
  try {
    const module = await import('@vigil/jobs/sqlite');
    if (typeof module.sqliteBackend === 'function') return { sqliteBackend: module.sqliteBackend };
    return { reason: '@vigil/jobs/sqlite exports no sqliteBackend (placeholder)' };
  } catch (error) {
    return { reason: `@vigil/jobs/sqlite does not load: ${error.message}` };
  }
}

/** Every job enqueued at once, each acknowledged once durable; timed until every job ran. */
async function measureSqlite(sqliteBackend, dir, count) {
  const path = join(dir, `jobs-${process.hrtime.bigint()}.db`);
  const ids = Array.from({ length: count }, (_, i) => i);
  const jobs = runner({
    concurrency: CONCURRENCY,
    backend: sqliteBackend({ path }),
    types: { noop: { handler: noop, concurrency: CONCURRENCY } },
  });
  try {
    await jobs.ready();
    collect();
    const started = performance.now();
    const acknowledged = await Promise.all(ids.map(() => jobs.enqueue('noop', null)));
    const ackedMs = performance.now() - started;
    await drained(jobs);
    const ranMs = performance.now() - started;
    if (acknowledged.length !== count) throw new Error('sqlite: missing acknowledgements');
    checkCompleted(jobs, 'noop', count);
    await jobs.close(); // commits the pending completions
    const closedMs = performance.now() - started;
    return {
      jobsPerSecond: (count * 1000) / ranMs,
      ackedPerSecond: (count * 1000) / ackedMs,
      closeMs: closedMs - ranMs,
    };
  } finally {
    await jobs.close();
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      rmSync(`${path}${suffix}`, { force: true });
  }
}

/** Appends one JSON line per job with `writeSync`, `fsyncSync` after every `every` jobs. */
function measureLog(dir, count, every) {
  const path = join(dir, `log-${every}-${process.hrtime.bigint()}.ndjson`);
  const fd = openSync(path, 'a');
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      writeSync(fd, `{"id":"job-${i}","type":"noop","payload":null}\n`);
      if ((i + 1) % every === 0) fsyncSync(fd);
    }
    if (count % every !== 0) fsyncSync(fd);
    return (count * 1000) / (performance.now() - started);
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}

async function sqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-bench-'));
  const { sqliteBackend, reason } = await loadSqliteBackend();
  try {
    const steps = {
      logPerJob: () => measureLog(dir, LOG_PER_JOB, 1),
      logPer100: () => measureLog(dir, LOG_BATCHED, LOG_EVERY),
    };
    if (sqliteBackend !== undefined) {
      steps.vigil = () => measureSqlite(sqliteBackend, dir, SQLITE_JOBS);
      await measureSqlite(sqliteBackend, dir, SQLITE_JOBS / 10); // warm-up
    }
    const names = Object.keys(steps);
    const rounds = [];
    for (let r = 0; r < SQLITE_ROUNDS; r++) {
      const order = r % 2 === 0 ? names : [...names].reverse();
      const round = {};
      for (const name of order) round[name] = await steps[name]();
      rounds.push(round);
    }
    const of = (pick) => median(rounds.map(pick));
    const result = {
      available: sqliteBackend !== undefined,
      jobs: SQLITE_JOBS,
      rounds: SQLITE_ROUNDS,
      // fsync on tmpfs returns at once: the floor would mean nothing there.
      tmpfs: statfsSync(dir).type === TMPFS_MAGIC,
      logPerJob: { jobs: LOG_PER_JOB, jobsPerSecond: of((round) => round.logPerJob) },
      logPer100: { jobs: LOG_BATCHED, jobsPerSecond: of((round) => round.logPer100) },
    };
    if (sqliteBackend === undefined) {
      result.reason = reason;
    } else {
      result.vigil = {
        jobsPerSecond: of((round) => round.vigil.jobsPerSecond),
        ackedPerSecond: of((round) => round.vigil.ackedPerSecond),
        closeMs: of((round) => round.vigil.closeMs),
      };
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, library] = process.argv.slice(2);
  if (mode === 'heap') {
    printJson(await heapPerJob(library));
  } else {
    const log = (what) => process.stderr.write(`jobs: ${what}\n`);
    log('throughput');
    const memory = await throughput();
    log('heap per queued job');
    const heapResult = heap();
    log('sqlite backend');
    const sqliteResult = await sqlite();
    printJson({ throughput: memory, heap: heapResult, sqlite: sqliteResult });
  }
}
