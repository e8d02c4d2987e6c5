// @vigil/cache's Redis tier (`redisTier` of `@vigil/cache/redis`) vs bentocache's L2
// (`redisDriver`) on the same real Redis: an L2 hit behind an L1 miss, `getOrSet`, the loader /
// factory never running.
//
// Redis: a throw-away server of scripts/redis.sh on 127.0.0.1:56398 (AOF on, appendfsync
// everysec, noeviction; data in a temp folder), stopped (and the folder removed) at the end; only
// 127.0.0.1 is used. Every key is under a fresh prefix `bench-l2-<hex>`, deleted after.
//
// Data: KEY_COUNT keys `'k' + i`, values small JSON objects `{ id, name, email, roles, active }`
// (the same objects for both libraries).
//   Vigil: `new Cache({ name: 'users', max, ttl: '1h', l2: redisTier({ url, keyPrefix }) })`. A
//     writer instance (max 2 × KEY_COUNT) fills Redis with `cache.set(key, value)`; the reader, a
//     second instance on the same name and prefix with `max: 1`, so that every read is an L1
//     miss (keys read in rotation; the one entry in memory is always another key), reads
//     `await cache.getOrSet(key, loader)`: memory miss → Redis (GET + PTTL pipelined, one round
//     trip) → JSON.parse → kept in memory (and evicted by the next read).
//   bentocache: `new BentoCache({ default, ttl: '1h', prefix, stores: { users: bentostore()
//     .useL1Layer(memoryDriver({ maxItems })).useL2Layer(redisDriver({ connection: { host,
//     port } })).useBus(redisBusDriver({ connection })) } })` (its documented multi-instance
//     set-up: the bus keeps the L1s of the instances in step, as Vigil's pub/sub does; it plays
//     no part in a read). A writer (maxItems 2 × KEY_COUNT) fills Redis with `await
//     bento.set({ key, value })`; the reader (`maxItems: 1`) reads `await bento.getOrSet({ key,
//     factory })`: L1 miss → per-key lock → L1 again → Redis GET → JSON.parse → JSON.stringify
//     into its L1. Its L1 keeps its default `serialize: true`: `serialize: false` with an L2
//     breaks in bentocache 1.6.1 (an L2 hit stores a string in L1, the next L1 read throws
//     "Cannot read properties of undefined (reading 'deserialize')"; bentocache issue #111).
//   Floors (information): a bare ioredis client (default options, as bentocache's driver makes
//     it) reading Vigil's keys: `JSON.parse(await redis.get(key))`, and Vigil's command shape
//     `await redis.multi().get(key).pttl(key).exec()` + JSON.parse; the latter again on a client
//     with the options the tier gives its own (`commandTimeout: 250`, `maxRetriesPerRequest: 1`).
//
// Modes: sequential (one read awaited after the other) and CONCURRENCY (8) workers, each awaiting
// its reads in turn, taking the next key from a shared counter (keys in flight are distinct, so
// no read joins another's load). A sample is OPS reads (OPS_CONCURRENT in the concurrent mode)
// over the keys in rotation, summing `value.id` into a sink checked at the end. Checked on every
// sample: the sink; no loader / factory call; Redis's `INFO commandstats`: exactly one GET per
// read (every read reached Redis: no L1 hit), one EXEC per read for the MULTI floor,
// no write (SET, PUBLISH, DEL) and no failed command. The reader's `stats()` after the run: no
// memory hit. Timed per sample: wall clock, this process's CPU time (`process.cpuUsage()`, user
// + system) and Redis's (`INFO cpu`, used_cpu_user + used_cpu_sys), each ÷ reads; `gc()` before
// each sample. After WARMUP samples of every variant, ROUNDS rounds time one sample of each, the
// order reversed every other round; figures are medians over the rounds, a ratio the median of
// the rounds' ratios. Node and Redis share the machine's cores: the wall clock is the latency a
// caller sees, the CPU time per read what each library costs the process.
//
//   node --expose-gc src/cache-l2.mjs [--quick]   (prints one JSON line)
//   node --expose-gc --cpu-prof --cpu-prof-dir=profiles src/cache-l2.mjs --only=seqVigil|seqBento|…
//     [--seconds=5]   (one variant's samples in a loop, for profiling; prints no figures)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { median } from './lib/data.mjs';
import { fmtRatio } from './lib/format.mjs';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const flag = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const HOST = '127.0.0.1';
const PORT = 56398;
const KEY_COUNT = 1024;
const MASK = KEY_COUNT - 1;
const OPS = quick ? 2_000 : 5_000;
const OPS_CONCURRENT = quick ? 4_000 : 10_000;
const CONCURRENCY = 8;
const WARMUP = quick ? 1 : 2;
const ROUNDS = quick ? 3 : 7;
const CACHE_NAME = 'users';

const keys = Array.from({ length: KEY_COUNT }, (_, i) => `k${i}`);
const values = keys.map((_, i) => ({
  id: i,
  name: `user-${i}`,
  email: `user${i}@example.com`,
  roles: ['reader'],
  active: true,
}));

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

/** The sum of `id` over `count` consecutive keys, cycling: what every sample's sink must be. */
function expectedSink(count) {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += i & MASK;
  return sum;
}

/** Redis's CPU time so far (µs) and its command counts (`INFO cpu commandstats`). */
async function redisStats(admin) {
  const info = await admin.info('cpu', 'commandstats');
  const field = (name) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)[1]);
  const calls = {};
  let failed = 0;
  for (const [, name, count, rejected, failedCalls] of info.matchAll(
    /^cmdstat_([a-z|_-]+):calls=(\d+).*?rejected_calls=(\d+),failed_calls=(\d+)/gm,
  )) {
    calls[name] = Number(count);
    if (name !== 'info') failed += Number(rejected) + Number(failedCalls);
  }
  return { cpuUs: (field('used_cpu_user') + field('used_cpu_sys')) * 1e6, calls, failed };
}

/** Deletes every key under `prefix`; answers how many there were. */
async function deleteUnder(admin, prefix) {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) deleted += await admin.del(...found);
  } while (cursor !== '0');
  return deleted;
}

/** Waits until every key of `fullKeys` exists in Redis (writes made in the background). */
async function waitForKeys(admin, fullKeys, what) {
  const until = Date.now() + 10_000;
  for (;;) {
    const present = await admin.exists(...fullKeys);
    if (present === fullKeys.length) return;
    if (Date.now() > until) throw new Error(`${what}: ${present} of ${fullKeys.length} keys`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One sequential sample: `read(key)` answers the value, awaited in turn. */
function sequential(read) {
  return async (n) => {
    let sink = 0;
    for (let i = 0; i < n; i++) sink += (await read(keys[i & MASK])).id;
    return sink;
  };
}

/** One concurrent sample: CONCURRENCY workers, each awaiting its reads, on a shared counter. */
function concurrent(read) {
  return async (n) => {
    let next = 0;
    let sink = 0;
    const worker = async () => {
      for (let i = next++; i < n; i = next++) {
        // Not `sink += (await …).id`: that reads `sink` before the await, losing the others' sums.
        const value = await read(keys[i & MASK]);
        sink += value.id;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return sink;
  };
}

async function setUp(url, prefix, admin) {
  const { Cache } = await import('@vigil/cache');
  const { redisTier } = await import('@vigil/cache/redis');
  const { BentoCache, bentostore } = await import('bentocache');
  const { memoryDriver } = await import('bentocache/drivers/memory');
  const { redisBusDriver, redisDriver } = await import('bentocache/drivers/redis');

  const tierErrors = [];
  const onError = (error) => tierErrors.push(error);
  const vigilKeyPrefix = `${prefix}-vigil:`;
  const vigil = (max) =>
    new Cache({
      name: CACHE_NAME,
      max,
      ttl: '1h',
      l2: redisTier({ url, keyPrefix: vigilKeyPrefix, onError }),
    });
  const bentoPrefix = `${prefix}-bento`;
  const connection = { host: HOST, port: PORT };
  const bento = (maxItems) =>
    new BentoCache({
      default: CACHE_NAME,
      ttl: '1h',
      prefix: bentoPrefix,
      stores: {
        [CACHE_NAME]: bentostore()
          .useL1Layer(memoryDriver({ maxItems }))
          .useL2Layer(redisDriver({ connection }))
          .useBus(redisBusDriver({ connection })),
      },
    });

  const vigilWriter = vigil(2 * KEY_COUNT);
  const vigilReader = vigil(1);
  const bentoWriter = bento(2 * KEY_COUNT);
  const bentoReader = bento(1);
  const floor = new Redis(url);
  // The options the tier gives its own client (redis-tier.ts: a timer per command), the offline
  // queue left on (it only matters before the connection is made).
  const floorTiered = new Redis(url, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 250,
  });

  const vigilKeys = keys.map((key) => `${vigilKeyPrefix}${CACHE_NAME}:v:${key}`);
  const bentoKeys = keys.map((key) => `${bentoPrefix}:${key}`);
  // Fill Redis through the writers; the readers' memory never holds these. Vigil's tier writes
  // in the background; one write first, until the writer is connected (a command before then
  // waits for the connection on a listener of its own).
  vigilWriter.set(keys[0], values[0]);
  await waitForKeys(admin, vigilKeys.slice(0, 1), 'vigil first write');
  for (let i = 1; i < KEY_COUNT; i++) vigilWriter.set(keys[i], values[i]);
  for (let i = 0; i < KEY_COUNT; i++) await bentoWriter.set({ key: keys[i], value: values[i] });
  await waitForKeys(admin, vigilKeys, 'vigil fill');
  await waitForKeys(admin, bentoKeys, 'bentocache fill');
  // Let the writers' invalidation messages reach the readers before anything is timed.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stored = {
    vigil: await admin.strlen(vigilKeys[7]),
    bento: await admin.strlen(bentoKeys[7]),
    json: JSON.stringify(values[7]).length,
  };
  if (vigilReader.size !== 0) throw new Error('vigil reader: memory not empty before reading');

  let loads = 0;
  const loader = () => {
    loads++;
    return values[0];
  };
  // bentocache's factories, built once per key (on a hit none runs).
  const factories = keys.map(() => () => {
    loads++;
    return values[0];
  });
  const factoryOf = new Map(keys.map((key, i) => [key, factories[i]]));
  const floorKeyOf = new Map(keys.map((key, i) => [key, vigilKeys[i]]));

  const reads = {
    Vigil: (key) => vigilReader.getOrSet(key, loader),
    Bento: (key) => bentoReader.getOrSet({ key, factory: factoryOf.get(key) }),
    FloorGet: async (key) => JSON.parse(await floor.get(floorKeyOf.get(key))),
    FloorMulti: async (key) => {
      const full = floorKeyOf.get(key);
      const [[, text]] = await floor.multi().get(full).pttl(full).exec();
      return JSON.parse(text);
    },
    FloorMultiTimeout: async (key) => {
      const full = floorKeyOf.get(key);
      const [[, text]] = await floorTiered.multi().get(full).pttl(full).exec();
      return JSON.parse(text);
    },
  };
  const samples = {};
  for (const [name, read] of Object.entries(reads)) {
    samples[`seq${name}`] = sequential(read);
    samples[`c${CONCURRENCY}${name}`] = concurrent(read);
  }

  return {
    samples,
    admin,
    stored,
    loads: () => loads,
    tierErrors,
    vigilStats: () => vigilReader.stats(),
    close: async () => {
      await Promise.all([vigilWriter.close(), vigilReader.close()]);
      await Promise.all([bentoWriter.disconnectAll(), bentoReader.disconnectAll()]);
      floor.disconnect();
      floorTiered.disconnect();
    },
  };
}

/** Commands each read of `name` sends: one GET always; MULTI … EXEC for the MULTI floor (Vigil pipelines GET and PTTL). */
const execPerRead = (name) => (/FloorMulti/.test(name) ? 1 : 0);

async function measure(bench, name) {
  const ops = name.startsWith('seq') ? OPS : OPS_CONCURRENT;
  const loadsBefore = bench.loads();
  collect();
  const before = await redisStats(bench.admin);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const sink = await bench.samples[name](ops);
  const wall = Number(process.hrtime.bigint() - started);
  const { user, system } = process.cpuUsage(cpu);
  const after = await redisStats(bench.admin);
  const expected = expectedSink(ops);
  if (sink !== expected) throw new Error(`${name}: sink ${sink}, expected ${expected}`);
  if (bench.loads() !== loadsBefore) {
    throw new Error(`${name}: ${bench.loads() - loadsBefore} loader calls (an L2 miss)`);
  }
  const delta = (command) => (after.calls[command] ?? 0) - (before.calls[command] ?? 0);
  const writes = ['set', 'setex', 'psetex', 'publish', 'del', 'unlink'].map(delta);
  if (
    delta('get') !== ops ||
    delta('exec') !== ops * execPerRead(name) ||
    writes.some((d) => d !== 0) ||
    after.failed !== before.failed
  ) {
    throw new Error(
      `${name}: ${ops} reads, Redis saw GET ${delta('get')}, EXEC ${delta('exec')}, writes ${writes}, failed ${after.failed - before.failed}`,
    );
  }
  if (bench.tierErrors.length > 0) throw bench.tierErrors[0];
  return {
    wall: wall / ops,
    cpu: ((user + system) * 1000) / ops,
    redisCpu: ((after.cpuUs - before.cpuUs) * 1000) / ops,
  };
}

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

async function run(url, prefix, admin) {
  const bench = await setUp(url, prefix, admin);
  try {
    const names = Object.keys(bench.samples);
    const only = flag('only');
    if (only !== undefined) {
      if (!names.includes(only)) throw new Error(`--only: unknown variant ${only}; ${names}`);
      const until = performance.now() + Number(flag('seconds') ?? 5) * 1000;
      let samples = 0;
      while (performance.now() < until) {
        await measure(bench, only);
        samples++;
      }
      process.stderr.write(`cache-l2: ${only}, ${samples} samples\n`);
      return undefined;
    }
    for (let w = 0; w < WARMUP; w++) for (const name of names) await measure(bench, name);
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? names : [...names].reverse();
      const round = {};
      for (const name of order) round[name] = await measure(bench, name);
      rounds.push(round);
    }
    const stats = bench.vigilStats();
    const reads = WARMUP * (OPS + OPS_CONCURRENT) + ROUNDS * (OPS + OPS_CONCURRENT);
    if (stats.hits !== 0 || stats.misses !== reads) {
      throw new Error(
        `vigil reader: ${stats.hits} memory hits, ${stats.misses} misses of ${reads}`,
      );
    }
    const of = (clock) => {
      const nsPerOp = Object.fromEntries(
        names.map((n) => [n, median(rounds.map((round) => round[n][clock]))]),
      );
      return { nsPerOp, opsPerSecond: Object.fromEntries(names.map((n) => [n, 1e9 / nsPerOp[n]])) };
    };
    // Vigil ÷ variant, per round, then the median: on the wall clock, reads per second; on CPU,
    // reads per CPU-second (the variant's CPU per read ÷ Vigil's). Above 1: Vigil ahead.
    const ratios = (clock) => {
      const out = {};
      for (const mode of ['seq', `c${CONCURRENCY}`]) {
        for (const peer of ['Bento', 'FloorGet', 'FloorMulti', 'FloorMultiTimeout']) {
          out[`${mode}VigilVs${peer}`] = median(
            rounds.map((round) => round[`${mode}${peer}`][clock] / round[`${mode}Vigil`][clock]),
          );
        }
      }
      return out;
    };
    const admin = bench.admin;
    return {
      versions: {
        '@vigil/cache': versionOf('@vigil/cache'),
        bentocache: versionOf('bentocache'),
        ioredis: versionOf('ioredis'),
        redis: (await admin.info('server')).match(/^redis_version:(.*)$/m)?.[1].trim(),
      },
      keys: KEY_COUNT,
      ops: OPS,
      opsConcurrent: OPS_CONCURRENT,
      concurrency: CONCURRENCY,
      warmup: WARMUP,
      rounds: ROUNDS,
      storedBytes: bench.stored,
      wall: { ...of('wall'), ratio: ratios('wall') },
      cpu: { ...of('cpu'), ratio: ratios('cpu') },
      redisCpu: { ...of('redisCpu'), ratio: ratios('redisCpu') },
      perRound: rounds,
    };
  } finally {
    await bench.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The report (`run.mjs --only=cacheL2`): medians (`m.cacheL2`), min – max over runs.

const count = (v) => v.toLocaleString('en-US');
const fmtOps = (v) => count(Math.round(v));
const fmtUs = (ns) => `${(ns / 1000).toFixed(ns < 10_000 ? 2 : 1)} µs`;

export function renderCacheL2(m, range) {
  const c = m.cacheL2;
  const r = range.cacheL2;
  const v = c.versions;
  const out = [];
  out.push(
    "## Cache L2: `@vigil/cache`'s Redis tier vs bentocache's L2, an L2 hit behind an L1 miss\n",
  );
  out.push(
    `One process, one Redis ${v.redis} of \`scripts/redis.sh\` started for the part on 127.0.0.1:${PORT} (stopped after); @vigil/cache ${v['@vigil/cache']}, bentocache ${v.bentocache}, ioredis ${v.ioredis} (one module for all). ${count(c.keys)} keys \`'k' + i\` → \`{ id, name, email, roles, active }\` (${c.storedBytes.json} B of JSON; stored: Vigil ${c.storedBytes.vigil} B, bentocache ${c.storedBytes.bento} B with its envelope), filled through a writer instance of each library, read through a second instance whose memory holds one entry (Vigil \`max: 1\`, bentocache \`memoryDriver({ maxItems: 1 })\`), keys in rotation: every read is an L1 miss and an L2 hit. Vigil: \`new Cache({ name, max: 1, ttl: '1h', l2: redisTier({ url, keyPrefix }) })\`, \`await cache.getOrSet(key, loader)\` (GET and PTTL in one pipeline). bentocache: \`bentostore().useL1Layer(memoryDriver({ maxItems: 1 })).useL2Layer(redisDriver({ connection })).useBus(redisBusDriver({ connection }))\`, \`ttl: '1h'\`, \`await bento.getOrSet({ key, factory })\` (GET); its L1 keeps its default \`serialize: true\` (\`serialize: false\` with an L2 throws on the read after an L2 hit in ${v.bentocache}: bentocache issue #111). Floors (info): a bare ioredis client on Vigil's keys, \`JSON.parse(await redis.get(key))\`, the same with Vigil's \`multi().get().pttl().exec()\`, and that again on a client with the options the tier gives its own (\`commandTimeout: 250\`, \`maxRetriesPerRequest: 1\`). Sequential: ${count(c.ops)} reads per sample, each awaited; ${c.concurrency} workers: ${count(c.opsConcurrent)} reads per sample, ${c.concurrency} in flight (distinct keys). Checked on every sample: the sum of the ids read, no loader / factory call, and Redis's \`INFO commandstats\`: one GET per read (no L1 hit), one EXEC per read for the MULTI floor, none for Vigil, no write, no failed command. CPU: this process's \`process.cpuUsage()\` (user + system) ÷ reads; Redis CPU: \`INFO cpu\` ÷ reads. \`gc()\` before each sample; ${c.warmup} warm-up samples of each variant, then ${c.rounds} rounds, one sample of each, the order reversed every other round; medians over the rounds, a ratio the median of the rounds' ratios (then the median over the runs). Node and Redis share the machine's cores.\n`,
  );
  out.push(
    '| mode | variant | ops/s (wall, median) | µs/op (wall) | ops/s min – max over runs | CPU µs/op (Node) | Redis CPU µs/op | Vigil ÷ variant, ops/s (wall) | Vigil ÷ variant, ops per CPU-second |\n|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  const labels = {
    Vigil: 'Vigil `cache.getOrSet(key, loader)`',
    Bento: `bentocache ${v.bentocache} \`getOrSet({ key, factory })\``,
    FloorGet: 'floor: ioredis `get` + JSON.parse (info)',
    FloorMulti: 'floor: ioredis `multi().get().pttl().exec()` + JSON.parse (info)',
    FloorMultiTimeout:
      "floor: the same on a client with the tier's options (`commandTimeout: 250`, …) (info)",
  };
  for (const [mode, modeLabel] of [
    ['seq', 'sequential'],
    [`c${c.concurrency}`, `${c.concurrency} in flight`],
  ]) {
    for (const [variant, label] of Object.entries(labels)) {
      const name = `${mode}${variant}`;
      const [lo, hi] = r.wall.opsPerSecond[name];
      const ratioKey = `${mode}VigilVs${variant}`;
      const ratio = (clock) => (variant === 'Vigil' ? '' : fmtRatio(c[clock].ratio[ratioKey]));
      out.push(
        `| ${modeLabel} | ${label} | ${fmtOps(c.wall.opsPerSecond[name])} | ${fmtUs(c.wall.nsPerOp[name])} | ${fmtOps(lo)} – ${fmtOps(hi)} | ${fmtUs(c.cpu.nsPerOp[name])} | ${fmtUs(c.redisCpu.nsPerOp[name])} | ${ratio('wall')} | ${ratio('cpu')} |`,
      );
    }
  }
  out.push('');
  const rr = r.wall.ratio;
  const rc = r.cpu.ratio;
  out.push(
    `Vigil ÷ bentocache, each run (min – max): sequential ${rr.seqVigilVsBento.map(fmtRatio).join(' – ')} on the wall clock, ${rc.seqVigilVsBento.map(fmtRatio).join(' – ')} on CPU; ${c.concurrency} in flight ${rr[`c${c.concurrency}VigilVsBento`].map(fmtRatio).join(' – ')} on the wall clock, ${rc[`c${c.concurrency}VigilVsBento`].map(fmtRatio).join(' – ')} on CPU.\n`,
  );
  return out.join('\n');
}

/** The part alone (`run.mjs --only=cacheL2`). */
export function renderCacheL2Alone(results) {
  const mc = results.machine;
  const head = [
    `# Vigil benchmarks: cache L2 alone (${results.rounds} run${results.rounds > 1 ? 's' : ''}${results.quick ? ', QUICK mode' : ''}, ${Math.round(results.durationS)} s)\n`,
    `${mc.date}, Node ${mc.node}, ${mc.cpu} × ${mc.cores}, at ${mc.commit}\n`,
  ];
  return `${head.join('\n')}\n${renderCacheL2(results.median, results.range)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-cache-l2-'));
  const redisDir = join(dir, 'redis');
  const prefix = `bench-l2-${randomBytes(4).toString('hex')}`;
  let admin;
  try {
    const url = redisScript('start', redisDir);
    if (!url.startsWith(`redis://${HOST}:`)) throw new Error(`redis.sh answered ${url}`);
    process.stderr.write(`cache-l2: Redis at ${url}\n`);
    admin = new Redis(url, { maxRetriesPerRequest: 1 });
    let result;
    try {
      result = await run(url, prefix, admin);
    } finally {
      const deleted = await deleteUnder(admin, prefix);
      process.stderr.write(`cache-l2: deleted ${deleted} keys under ${prefix}*\n`);
    }
    const [, left] = await admin.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 100_000);
    if (left.length !== 0) throw new Error(`${left.length} keys left under ${prefix}*`);
    if (result !== undefined) printJson(result);
  } finally {
    admin?.disconnect();
    redisScript('stop', redisDir);
    rmSync(dir, { recursive: true, force: true });
  }
}
