// @vigil/cache's `Cache` vs a bare lru-cache 11 (what it is built on), bentocache 1 and
// cache-manager 7, the caches a user would pick instead:
//
//  1. `get` hit (modes `get on` and `get off`, a process each): Vigil `cache.get(key)` with metrics
//     (a `Registry` from @vigil/core given to the Cache) in one process, without (no registry) in
//     another (both would run the same `Cache.prototype.get`, and the type feedback of one would
//     shape the other's optimised code), each beside a bare `LRUCache#get` and `Map#get` (the
//     floor, info). 1,024 keys `'k' + i`, all present (a max of 10,000: nothing is evicted), so
//     every get hits; values `{ id: i }`. A sample is one function running BATCH gets over the
//     keys in turn, summing `value.id` into a sink checked at the end (a get that missed would
//     throw); each variant's loop is written out on its own, so that no call site is shared (and
//     made polymorphic) between them. After WARMUP samples of each, GET_ROUNDS rounds time one
//     sample of every variant, the order reversed every other round; ops/s is the median over
//     the rounds, a ratio the median of the rounds' ratios.
//  2. `wrap` hit (mode `wrap`, a process of its own): an async loop awaiting ASYNC_BATCH calls in
//     sequence (PEER_BATCH for the peers, 10–100× slower), the same keys and values, every key
//     loaded once before the clock starts. Vigil
//     `cache.wrap('user', load)` (the default key: the name and the arguments as JSON), with
//     metrics; for information, the same with `{ key: (id) => id }` and `cache.getOrSet(key,
//     loader)` itself. bentocache `getOrSet({ key, factory })` on an L1-only store
//     (`memoryDriver({ maxItems, serialize: false })`: values held as references, as Vigil's are;
//     its default, `serialize: true`, JSON-encodes each value and decodes it on every hit, for
//     information). cache-manager `wrap(key, fn)` on `createCache({ ttl })`'s default store (a
//     Keyv `Map`, which cache-manager builds with serialization off). The floor (info): awaiting an
//     async function answering `Map#get`. ROUNDS rounds, as in 1.
//  3. 1,000 concurrent misses on one key: `Promise.all` of 1,000 `getOrSet('hot', loader)` started
//     in one tick, the loader answering after a 5 ms timer (and, apart, at once), and 1,000 calls
//     of a wrapped function with the same argument; loader calls counted, every caller's value
//     checked to be the loaded one. bentocache and cache-manager the same way, for information.
//  4. Heap per entry (mode `heap`, one library per process): 100,000 entries `'k' + i` →
//     `{ id: i }` (and, apart, → a short string `'v' + i`), keys and values built before the
//     baseline and kept (excluded for both); Vigil `new Cache({ name, max: 100_000, registry })` +
//     `cache.set(key, value)`, lru-cache `new LRUCache({ max: 100_000 })` + `set(key, value)`; the
//     cache built before the baseline (lru-cache allocates its arrays for `max` up front: given
//     apart, per entry, as "with construction"); `heapUsed` delta after `gc()` ×4 ÷ 100,000. A
//     first fill of 10,000 entries in another cache compiles the code paths. HEAP_RUNS processes
//     per library and value kind, alternating; the median.
//
// The L2 (Redis) row of the issue's table is not measured here: this part covers the in-memory
// cache; the Redis tier (`@vigil/cache/redis`, `redisTier`) is left to a part of its own.
//
//   node --expose-gc src/cache.mjs [--quick]              (everything; prints one JSON line)
//   node src/cache.mjs get on|off [--quick], node src/cache.mjs wrap [--quick]   (one timing part)
//   node --expose-gc src/cache.mjs heap vigil|lru-cache object|string
//   node --cpu-prof --cpu-prof-dir=profiles src/cache.mjs get on|off --only=vigil|lruCache|map
//   node --cpu-prof --cpu-prof-dir=profiles src/cache.mjs wrap --only=vigilWrap|bento|… [--seconds=5]
//     (runs one variant's sample in a loop for profiling; prints nothing useful)
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/data.mjs';
import { fmtBytes, fmtOps, fmtRatio, verdict } from './lib/format.mjs';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const flag = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

const KEY_COUNT = 1024;
const MASK = KEY_COUNT - 1;
const MAX = 10_000;
const BATCH = quick ? 200_000 : 1_000_000;
const ASYNC_BATCH = quick ? 20_000 : 100_000;
/** The peers' wrap hits cost 10–100× Vigil's: fewer calls per sample (still ≥ 0.1 s). */
const PEER_BATCH = quick ? 2_000 : 10_000;
const WARMUP = quick ? 1 : 3;
const ROUNDS = quick ? 3 : 9;
const GET_ROUNDS = quick ? 3 : 15;
const CALLERS = 1_000;
const HEAP_ENTRIES = quick ? 20_000 : 100_000;
const HEAP_RUNS = quick ? 1 : 3;
const TTL_MS = 3_600_000;

// Targets of the issue.
const GET_MIN_RATIO = 0.67;
const WRAP_MIN_RATIO = 2;
const HEAP_MAX_RATIO = 1.3;

const keys = Array.from({ length: KEY_COUNT }, (_, i) => `k${i}`);
const values = keys.map((_, i) => ({ id: i }));
const valueByKey = new Map(keys.map((key, i) => [key, values[i]]));

function collect() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  for (let i = 0; i < 4; i++) global.gc();
}

/**
 * One call of `fn`: its answer, the wall-clock nanoseconds it took, and the CPU nanoseconds of
 * this process meanwhile (user + system, `process.cpuUsage()`).
 */
async function timeAsync(fn) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const sink = await fn();
  const wall = Number(process.hrtime.bigint() - started);
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) * 1000, sink };
}

/** The sum of `id` over `count` consecutive keys, cycling: what every sample's sink must be. */
function expectedSink(count) {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += i & MASK;
  return sum;
}

/**
 * WARMUP samples of every variant, then `rounds` rounds of one sample each, the order reversed
 * every other round. `samples`: name → (ops) => sink (or a promise of it); `opsOf`: name → the
 * operations of one sample. Answers, per round, each variant's CPU and wall-clock ns per op.
 */
async function race(samples, opsOf, rounds = ROUNDS) {
  const names = Object.keys(samples);
  const run = async (name) => {
    const ops = opsOf(name);
    const { wall, cpu, sink } = await timeAsync(() => samples[name](ops));
    const expected = expectedSink(ops);
    if (sink !== expected) throw new Error(`${name}: sink ${sink}, expected ${expected}`);
    return { cpu: cpu / ops, wall: wall / ops };
  };
  for (let w = 0; w < WARMUP; w++) for (const name of names) await run(name);
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    const round = {};
    for (const name of order) round[name] = await run(name);
    perRound.push(round);
  }
  return perRound;
}

/**
 * ops/s and ns/op medians, and for each `label: [peer, vigil]` the median over rounds of vigil's
 * ops/s ÷ peer's (peer's ns/op ÷ vigil's); on CPU time, and the same on wall-clock time (`wall`).
 */
function summarise(rounds, pairs) {
  const of = (clock) => {
    const ns = rounds.map((round) =>
      Object.fromEntries(Object.entries(round).map(([name, t]) => [name, t[clock]])),
    );
    const names = Object.keys(ns[0]);
    const nsPerOp = Object.fromEntries(names.map((n) => [n, median(ns.map((r) => r[n]))]));
    const opsPerSecond = Object.fromEntries(names.map((n) => [n, 1e9 / nsPerOp[n]]));
    const ratio = Object.fromEntries(
      Object.entries(pairs).map(([label, [a, b]]) => [label, median(ns.map((r) => r[a] / r[b]))]),
    );
    return { opsPerSecond, nsPerOp, ratio };
  };
  return { ...of('cpu'), wall: of('wall'), perRound: rounds };
}

/** Runs one variant's sample for `--seconds` (default 5), for `node --cpu-prof`. */
async function profileOnly(samples, name, ops) {
  const sample = samples[name];
  if (sample === undefined)
    throw new Error(`--only: unknown variant ${name}; ${Object.keys(samples)}`);
  const until = performance.now() + Number(flag('seconds') ?? 5) * 1000;
  let runs = 0;
  while (performance.now() < until) {
    await sample(ops);
    runs++;
  }
  process.stderr.write(`${name}: ${runs} samples\n`);
}

// ---------------------------------------------------------------------------------------------
// 1. get hit.

/**
 * `metrics`: 'on' (a registry) or 'off'. One per process: both would run the same
 * `Cache.prototype.get`, and the type feedback of one would shape the other's optimised code.
 */
async function getPart(metrics) {
  if (metrics !== 'on' && metrics !== 'off') throw new Error(`get on|off, got ${metrics}`);
  const { Cache } = await import('@vigil/cache');
  const { Registry } = await import('@vigil/core');
  const { LRUCache } = await import('lru-cache');
  const registry = metrics === 'on' ? new Registry() : undefined;
  const vigil = new Cache({ name: 'bench', max: MAX, registry });
  const lru = new LRUCache({ max: MAX });
  const map = new Map();
  for (let i = 0; i < KEY_COUNT; i++) {
    vigil.set(keys[i], values[i]);
    lru.set(keys[i], values[i]);
    map.set(keys[i], values[i]);
  }
  const samples = {
    vigil: () => {
      let sink = 0;
      for (let i = 0; i < BATCH; i++) sink += vigil.get(keys[i & MASK]).id;
      return sink;
    },
    lruCache: () => {
      let sink = 0;
      for (let i = 0; i < BATCH; i++) sink += lru.get(keys[i & MASK]).id;
      return sink;
    },
    map: () => {
      let sink = 0;
      for (let i = 0; i < BATCH; i++) sink += map.get(keys[i & MASK]).id;
      return sink;
    },
  };
  const only = flag('only');
  if (only !== undefined) return profileOnly(samples, only, BATCH);
  const rounds = await race(samples, () => BATCH, GET_ROUNDS);
  // Sanity: the cache counted its hits, and the metrics saw them.
  const stats = vigil.stats();
  if (stats.misses !== 0 || stats.hits < BATCH * GET_ROUNDS)
    throw new Error('vigil: hits not counted');
  if (registry !== undefined) {
    const text = await registry.metrics();
    const hits = Number(
      /vigil_cache_requests_total\{cache="bench",result="hit"\} (\d+(?:\.\d+)?(?:e\+\d+)?)/.exec(
        text,
      )?.[1],
    );
    if (!(hits >= BATCH * GET_ROUNDS)) throw new Error(`vigil: the hit counter reads ${hits}`);
  }
  return {
    metrics,
    keys: KEY_COUNT,
    batch: BATCH,
    rounds: GET_ROUNDS,
    ...summarise(rounds, {
      vigilVsLru: ['lruCache', 'vigil'],
      lruVsMap: ['map', 'lruCache'],
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// 2. wrap hit.

async function peers() {
  const { BentoCache, bentostore } = await import('bentocache');
  const { memoryDriver } = await import('bentocache/drivers/memory');
  const { createCache } = await import('cache-manager');
  return {
    bento: (serialize) =>
      new BentoCache({
        default: 'memory',
        ttl: TTL_MS,
        stores: {
          memory: bentostore().useL1Layer(
            memoryDriver(serialize ? { maxItems: MAX } : { maxItems: MAX, serialize: false }),
          ),
        },
      }),
    cacheManager: () => createCache({ ttl: TTL_MS }),
  };
}

async function wrapPart() {
  const { Cache } = await import('@vigil/cache');
  const { Registry } = await import('@vigil/core');
  const { bento: makeBento, cacheManager: makeCacheManager } = await peers();
  const registry = new Registry();
  const vigil = new Cache({ name: 'wrap', max: MAX, registry });
  const vigilKeyed = new Cache({ name: 'wrap-keyed', max: MAX, registry });
  const vigilDirect = new Cache({ name: 'get-or-set', max: MAX, registry });
  const bento = makeBento(false);
  const bentoSerialized = makeBento(true);
  const cm = makeCacheManager();

  let loads = 0;
  const load = async (id) => {
    loads++;
    return valueByKey.get(id);
  };
  const loader = ({ key }) => {
    loads++;
    return valueByKey.get(key);
  };
  const fetchUser = vigil.wrap('user', load);
  const fetchUserKeyed = vigilKeyed.wrap('user', load, { key: (id) => id });
  const floorGet = async (key) => valueByKey.get(key);
  // The peers' loaders, built once per key (a user's closure over the id would be built per call;
  // on a hit neither calls it).
  const factories = keys.map((key) => () => {
    loads++;
    return valueByKey.get(key);
  });
  const asyncFactories = keys.map((key) => async () => {
    loads++;
    return valueByKey.get(key);
  });

  for (let i = 0; i < KEY_COUNT; i++) {
    const key = keys[i];
    await fetchUser(key);
    await fetchUserKeyed(key);
    await vigilDirect.getOrSet(key, loader);
    await bento.getOrSet({ key, factory: factories[i] });
    await bentoSerialized.getOrSet({ key, factory: factories[i] });
    await cm.wrap(key, asyncFactories[i]);
  }
  const loadsBefore = loads;
  if (loadsBefore !== 6 * KEY_COUNT) throw new Error(`${loadsBefore} loads filling the caches`);

  const samples = {
    vigilWrap: async (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) sink += (await fetchUser(keys[i & MASK])).id;
      return sink;
    },
    vigilWrapKeyed: async (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) sink += (await fetchUserKeyed(keys[i & MASK])).id;
      return sink;
    },
    vigilGetOrSet: async (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) {
        sink += (await vigilDirect.getOrSet(keys[i & MASK], loader)).id;
      }
      return sink;
    },
    bento: async (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) {
        const k = i & MASK;
        sink += (await bento.getOrSet({ key: keys[k], factory: factories[k] })).id;
      }
      return sink;
    },
    bentoSerialized: async (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) {
        const k = i & MASK;
        sink += (await bentoSerialized.getOrSet({ key: keys[k], factory: factories[k] })).id;
      }
      return sink;
    },
    cacheManager: async (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) {
        const k = i & MASK;
        sink += (await cm.wrap(keys[k], asyncFactories[k])).id;
      }
      return sink;
    },
    floor: async (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) sink += (await floorGet(keys[i & MASK])).id;
      return sink;
    },
  };
  const only = flag('only');
  if (only !== undefined) return profileOnly(samples, only, ASYNC_BATCH);
  const peer = new Set(['bento', 'bentoSerialized', 'cacheManager']);
  const rounds = await race(samples, (name) => (peer.has(name) ? PEER_BATCH : ASYNC_BATCH));
  // Sanity: every timed call hit (no loader ran), and Vigil counted the hits.
  if (loads !== loadsBefore) throw new Error(`${loads - loadsBefore} loader calls while timing`);
  if (vigil.stats().hits < ASYNC_BATCH * ROUNDS) throw new Error('vigil wrap: hits not counted');
  await Promise.all([bento.disconnectAll(), bentoSerialized.disconnectAll(), cm.disconnect()]);
  return {
    keys: KEY_COUNT,
    batch: ASYNC_BATCH,
    peerBatch: PEER_BATCH,
    rounds: ROUNDS,
    ...summarise(rounds, {
      wrapVsBento: ['bento', 'vigilWrap'],
      wrapVsCacheManager: ['cacheManager', 'vigilWrap'],
      wrapVsBentoSerialized: ['bentoSerialized', 'vigilWrap'],
      getOrSetVsBento: ['bento', 'vigilGetOrSet'],
      getOrSetVsCacheManager: ['cacheManager', 'vigilGetOrSet'],
      wrapVsGetOrSet: ['vigilGetOrSet', 'vigilWrap'],
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// 3. 1,000 concurrent misses on one key.

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CALLERS calls of `call(loader)` started in one tick; how many times `loader` ran. */
async function stampede(call, { wait }) {
  const loaded = { id: 'hot' };
  let calls = 0;
  const loader = async () => {
    calls++;
    if (wait) await delay(5);
    return loaded;
  };
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: CALLERS }, () => call(loader)));
  const ms = performance.now() - started;
  return {
    loaderCalls: calls,
    callersWithTheValue: answers.filter((answer) => answer === loaded).length,
    ms,
  };
}

async function dedupePart() {
  const { Cache } = await import('@vigil/cache');
  const { Registry } = await import('@vigil/core');
  const { bento: makeBento, cacheManager: makeCacheManager } = await peers();
  const cache = (name) => new Cache({ name, max: MAX, registry: new Registry() });
  const timer = cache('stampede-timer');
  const immediate = cache('stampede-immediate');
  // One wrapped function, as a user's; it calls the stampede's loader.
  let current;
  const fetchUser = cache('stampede-wrap').wrap('user', () => current());
  const bento = makeBento(false);
  const cm = makeCacheManager();
  const result = {
    callers: CALLERS,
    vigilTimer: await stampede((loader) => timer.getOrSet('hot', loader), { wait: true }),
    vigilImmediate: await stampede((loader) => immediate.getOrSet('hot', loader), { wait: false }),
    vigilWrap: await stampede(
      (loader) => {
        current = loader;
        return fetchUser('hot');
      },
      { wait: true },
    ),
    bento: await stampede((loader) => bento.getOrSet({ key: 'hot', factory: loader }), {
      wait: true,
    }),
    cacheManager: await stampede((loader) => cm.wrap('hot', loader), { wait: true }),
  };
  result.vigilMisses = timer.stats().misses;
  await Promise.all([bento.disconnectAll(), cm.disconnect()]);
  return result;
}

// ---------------------------------------------------------------------------------------------
// 4. Heap per entry, one library and value kind per process.

async function heapCase(library, kind) {
  const makers = {
    vigil: async () => {
      const { Cache } = await import('@vigil/cache');
      const { Registry } = await import('@vigil/core');
      let n = 0;
      return () => new Cache({ name: `heap-${n++}`, max: HEAP_ENTRIES, registry: new Registry() });
    },
    'lru-cache': async () => {
      const { LRUCache } = await import('lru-cache');
      return () => new LRUCache({ max: HEAP_ENTRIES });
    },
  };
  if (makers[library] === undefined) throw new Error(`unknown library ${library}`);
  if (kind !== 'object' && kind !== 'string') throw new Error(`unknown value kind ${kind}`);
  const make = await makers[library]();
  const value = kind === 'object' ? (i) => ({ id: i }) : (i) => `v${i}`;
  // A first fill of other keys, in another cache, compiles the code paths.
  const warm = make();
  for (let i = 0; i < HEAP_ENTRIES / 10; i++) warm.set(`w${i}`, value(i));
  // Keys and values exist before the baseline and stay alive: excluded for both libraries.
  const heapKeys = Array.from({ length: HEAP_ENTRIES }, (_, i) => `k${i}`);
  const heapValues = Array.from({ length: HEAP_ENTRIES }, (_, i) => value(i));
  collect();
  const before = process.memoryUsage();
  const cache = make();
  collect();
  const built = process.memoryUsage();
  for (let i = 0; i < HEAP_ENTRIES; i++) cache.set(heapKeys[i], heapValues[i]);
  collect();
  const after = process.memoryUsage();
  if (cache.size !== HEAP_ENTRIES || cache.get('k7') !== heapValues[7] || warm.size === 0) {
    throw new Error(`${library}: the cache does not hold every entry`);
  }
  return {
    library,
    kind,
    entries: HEAP_ENTRIES,
    bytesPerEntry: (after.heapUsed - built.heapUsed) / HEAP_ENTRIES,
    withConstruction: (after.heapUsed - before.heapUsed) / HEAP_ENTRIES,
    externalPerEntry:
      (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / HEAP_ENTRIES,
    held: heapKeys.length + heapValues.length,
  };
}

function child(args) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), ...args, ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** HEAP_RUNS fresh processes per library and value kind, alternating; medians. */
function heapPart() {
  const libraries = ['vigil', 'lru-cache'];
  const result = { entries: HEAP_ENTRIES, runs: HEAP_RUNS };
  for (const kind of ['object', 'string']) {
    const runs = [];
    for (let r = 0; r < HEAP_RUNS; r++) {
      const order = r % 2 === 0 ? libraries : [...libraries].reverse();
      const run = {};
      for (const library of order) run[library] = child(['heap', library, kind]);
      runs.push(run);
    }
    const of = (library, field) => median(runs.map((run) => run[library][field]));
    result[kind] = {
      bytesPerEntry: {
        vigil: of('vigil', 'bytesPerEntry'),
        lruCache: of('lru-cache', 'bytesPerEntry'),
      },
      withConstruction: {
        vigil: of('vigil', 'withConstruction'),
        lruCache: of('lru-cache', 'withConstruction'),
      },
      externalPerEntry: {
        vigil: of('vigil', 'externalPerEntry'),
        lruCache: of('lru-cache', 'externalPerEntry'),
      },
      ratio: median(runs.map((run) => run.vigil.bytesPerEntry / run['lru-cache'].bytesPerEntry)),
    };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

function versionOf(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

function versions() {
  const cacheDir = join(root, '..', 'packages', 'cache');
  let sameLruCache = false;
  try {
    sameLruCache =
      realpathSync(join(root, 'node_modules', 'lru-cache')) ===
      realpathSync(join(cacheDir, 'node_modules', 'lru-cache'));
  } catch {}
  return {
    '@vigil/cache': versionOf(root, '@vigil/cache'),
    'lru-cache': versionOf(root, 'lru-cache'),
    'lru-cache of @vigil/cache': versionOf(cacheDir, 'lru-cache'),
    sameLruCache,
    bentocache: versionOf(root, 'bentocache'),
    'cache-manager': versionOf(root, 'cache-manager'),
    keyv: versionOf(root, 'keyv'),
  };
}

async function main() {
  const log = (what) => process.stderr.write(`cache: ${what}\n`);
  log('get hit, metrics on');
  const getOn = child(['get', 'on']);
  log('get hit, metrics off');
  const getOff = child(['get', 'off']);
  log('wrap hit');
  const wrap = child(['wrap']);
  log(`${CALLERS} concurrent misses`);
  const dedupe = await dedupePart();
  log('heap per entry');
  const heap = heapPart();
  return { versions: versions(), get: { on: getOn, off: getOff }, wrap, dedupe, heap };
}

// ---------------------------------------------------------------------------------------------
// The report: targets and section, on the medians (`m.cache`) and min – max over runs.

const count = (v) => v.toLocaleString('en-US');
const fmtNs = (v) => `${v.toFixed(v < 10 ? 2 : 1)} ns`;

/** The cache targets of their issue, on the medians; `range` for the loader calls' worst run. */
export function cacheTargets(m, range) {
  const c = m.cache;
  const g = c.get;
  const w = c.wrap;
  const d = c.dedupe;
  const dr = range?.cache?.dedupe;
  const worst = (key) => (dr === undefined ? d[key].loaderCalls : dr[key].loaderCalls[1]);
  const on = g.on.ratio.vigilVsLru;
  const off = g.off.ratio.vigilVsLru;
  const targets = [
    {
      name: '`cache.get(key)` hit, metrics on, vs a bare lru-cache 11 `get`',
      value: `${fmtRatio(on)} (cost ${fmtRatio(1 / on)}; wall clock ${fmtRatio(g.on.wall.ratio.vigilVsLru)})`,
      target: `≥ ${GET_MIN_RATIO}× (cost ≤ 1.5×)`,
      pass: on >= GET_MIN_RATIO,
    },
    {
      name: '`cache.get(key)` hit, metrics off, vs a bare lru-cache 11 `get` (info)',
      value: `${fmtRatio(off)} (cost ${fmtRatio(1 / off)}; wall clock ${fmtRatio(g.off.wall.ratio.vigilVsLru)})`,
      target: '—',
      pass: null,
      info: true,
    },
    {
      name: "`cache.wrap('user', fn)` hit, awaited, vs bentocache `getOrSet` hit (L1, `serialize: false`)",
      value: `${fmtRatio(w.ratio.wrapVsBento)} (wall clock ${fmtRatio(w.wall.ratio.wrapVsBento)})`,
      target: `≥ ${WRAP_MIN_RATIO}×`,
      pass: w.ratio.wrapVsBento >= WRAP_MIN_RATIO,
    },
    {
      name: "`cache.wrap('user', fn)` hit, awaited, vs cache-manager 7 `wrap` hit",
      value: `${fmtRatio(w.ratio.wrapVsCacheManager)} (wall clock ${fmtRatio(w.wall.ratio.wrapVsCacheManager)})`,
      target: `≥ ${WRAP_MIN_RATIO}×`,
      pass: w.ratio.wrapVsCacheManager >= WRAP_MIN_RATIO,
    },
    {
      name: `${count(d.callers)} concurrent misses on one key (\`getOrSet\`, 5 ms loader): loader calls`,
      value: `${worst('vigilTimer')} (worst run)`,
      target: '1',
      pass: worst('vigilTimer') === 1,
    },
    {
      name: `${count(d.callers)} concurrent calls of a wrapped function, same argument, on a miss: loader calls`,
      value: `${worst('vigilWrap')} (worst run)`,
      target: '1',
      pass: worst('vigilWrap') === 1,
    },
  ];
  const h = c.heap;
  for (const kind of ['object', 'string']) {
    const label = kind === 'object' ? '`{ id: i }`' : "`'v' + i`";
    targets.push({
      name: `heap per entry vs lru-cache (${count(h.entries)} entries \`'k' + i\` → ${label})`,
      value: `${fmtRatio(h[kind].ratio)} (${fmtBytes(h[kind].bytesPerEntry.vigil)})`,
      target: `≤ ${HEAP_MAX_RATIO}×`,
      pass: h[kind].ratio <= HEAP_MAX_RATIO,
    });
  }
  return targets;
}

export function renderCache(m, range) {
  const c = m.cache;
  const r = range.cache;
  const v = c.versions;
  const out = [];
  out.push('## Cache: `@vigil/cache` vs lru-cache, bentocache and cache-manager\n');
  out.push(
    `Each timing part in a process of its own (\`node src/cache.mjs get on\`, \`get off\`, \`wrap\`); lru-cache ${v['lru-cache']} (the one \`@vigil/cache\` is built on${v.sameLruCache ? ', the same module' : `, **not the same module: ${v['lru-cache of @vigil/cache']}**`}), bentocache ${v.bentocache}, cache-manager ${v['cache-manager']} (keyv ${v.keyv}). ${count(c.get.on.keys)} keys \`'k' + i\`, all present (max ${count(MAX)}: nothing is evicted), so every read hits; values \`{ id: i }\`. A sample runs a fixed number of operations over the keys in turn and sums \`value.id\` into a sink checked at the end (a miss would throw); each variant's loop is its own code, so no call site is shared. After ${WARMUP} warm-up samples of each variant, rounds time one sample of every variant, the order reversed every other round. Each sample is timed on the process's CPU time (\`process.cpuUsage()\`, user + system; it includes the GC's threads) and on the wall clock: on this shared machine a process descheduled in the middle of a sample charges the wait to whichever variant was running, so ops/s, ns/op, the ratios and the verdicts are on CPU time, and the wall-clock ratio is given as a check. ops/s and ns/op are the medians over the rounds, a ratio the median of the rounds' ratios (then the median over the runs).\n`,
  );
  const g = c.get;
  out.push(`### \`get\` hit, ${count(g.on.batch)} gets per sample\n`);
  out.push(
    `Vigil with metrics: \`new Cache({ name, max, registry })\`, a \`Registry\` of \`@vigil/core\` (a hit is counted in the cache and reaches \`vigil_cache_requests_total{result="hit"}\` at collect time; the count is checked after the run); without: no \`registry\`. No ttl. lru-cache: \`new LRUCache({ max })\`. Metrics on and off run in separate processes (\`node src/cache.mjs get on\`, \`get off\`), each beside its own bare lru-cache and \`Map\`: both would run the same \`Cache.prototype.get\`, and the type feedback of one would shape the other's optimised code. ${g.on.rounds} rounds per process.\n`,
  );
  out.push(
    '| process | variant | ops/s (CPU, median) | ns/op | min – max over runs | Vigil ÷ variant | cost of Vigil ÷ variant | Vigil ÷ variant, wall clock |\n|---|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const metrics of ['on', 'off']) {
    const part = g[metrics];
    const pr = r.get[metrics];
    for (const [key, label, ratioKey] of [
      ['vigil', `Vigil \`cache.get(key)\`, metrics ${metrics}`],
      ['lruCache', `lru-cache ${v['lru-cache']} \`get(key)\``, 'vigilVsLru'],
      ['map', 'floor: `Map#get(key)` (info)'],
    ]) {
      const [lo, hi] = pr.opsPerSecond[key];
      const ratio = ratioKey === undefined ? undefined : part.ratio[ratioKey];
      out.push(
        `| metrics ${metrics} | ${label} | ${fmtOps(part.opsPerSecond[key])} | ${fmtNs(part.nsPerOp[key])} | ${fmtOps(lo)} – ${fmtOps(hi)} | ${ratio === undefined ? '' : fmtRatio(ratio)} | ${ratio === undefined ? '' : fmtRatio(1 / ratio)} | ${ratio === undefined ? '' : fmtRatio(part.wall.ratio[ratioKey])} |`,
      );
    }
  }
  out.push('');
  out.push(
    `Vigil ÷ lru-cache, each run: metrics on ${r.get.on.ratio.vigilVsLru.map(fmtRatio).join(' – ')}; metrics off ${r.get.off.ratio.vigilVsLru.map(fmtRatio).join(' – ')} (min – max).\n`,
  );

  const w = c.wrap;
  out.push(
    `### \`wrap\` hit, awaited, ${count(w.batch)} calls per sample (the peers: ${count(w.peerBatch)})\n`,
  );
  out.push(
    `${w.rounds} rounds. ` +
      "An async loop awaits each call in turn; every key was loaded once before the clock starts and no loader runs while timing (checked). Vigil: `const fetchUser = cache.wrap('user', load)` on a cache with metrics, called `await fetchUser(key)` (its key: the name and the arguments as JSON, `user:[\"k7\"]`, made on every call); for information the same with `{ key: (id) => id }`, and `await cache.getOrSet(key, loader)` itself. bentocache: `new BentoCache({ default, ttl: '1h', stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems, serialize: false })) } })`, `await bento.getOrSet({ key, factory })` (L1 only; `serialize: false` holds values as references, as Vigil does: the like-for-like and faster setup, the target's; its default `serialize: true` JSON-decodes the value on every hit, for information). cache-manager: `createCache({ ttl })` with its default store (a Keyv `Map`, serialization off), `await cache.wrap(key, fn)`. The peers get the key ready-made; their loaders are built once per key. The floor: `await` of an async function answering `Map#get(key)`.\n",
  );
  out.push(
    '| variant | ops/s (CPU, median) | ns/op | min – max over runs | Vigil `wrap` ÷ variant | Vigil `wrap` ÷ variant, wall clock | Vigil `getOrSet` ÷ variant |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [key, label, wrapRatio, getOrSetRatio] of [
    ['vigilWrap', "Vigil `cache.wrap('user', fn)`, metrics on"],
    ['vigilWrapKeyed', 'Vigil `wrap` with `{ key: (id) => id }` (info)'],
    ['vigilGetOrSet', 'Vigil `cache.getOrSet(key, loader)` (info)', 'wrapVsGetOrSet'],
    [
      'bento',
      `bentocache ${v.bentocache} \`getOrSet({ key, factory })\`, L1 \`serialize: false\``,
      'wrapVsBento',
      'getOrSetVsBento',
    ],
    [
      'bentoSerialized',
      `bentocache ${v.bentocache} \`getOrSet\`, L1 default (\`serialize: true\`) (info)`,
      'wrapVsBentoSerialized',
    ],
    [
      'cacheManager',
      `cache-manager ${v['cache-manager']} \`wrap(key, fn)\``,
      'wrapVsCacheManager',
      'getOrSetVsCacheManager',
    ],
    ['floor', 'floor: `await (async (k) => map.get(k))(key)` (info)'],
  ]) {
    const [lo, hi] = r.wrap.opsPerSecond[key];
    const cell = (name, ratios = w.ratio) => (name === undefined ? '' : fmtRatio(ratios[name]));
    out.push(
      `| ${label} | ${fmtOps(w.opsPerSecond[key])} | ${fmtNs(w.nsPerOp[key])} | ${fmtOps(lo)} – ${fmtOps(hi)} | ${cell(wrapRatio)} | ${cell(wrapRatio, w.wall.ratio)} | ${cell(getOrSetRatio)} |`,
    );
  }
  out.push('');

  const d = c.dedupe;
  const dr = r.dedupe;
  out.push(`### ${count(d.callers)} concurrent misses on one key\n`);
  out.push(
    `\`Promise.all\` of ${count(d.callers)} calls started in one tick on an empty cache (metrics on), the loader an async function that counts its calls and answers one object after a 5 ms timer (or at once); a caller "has the value" when it got that very object. Loader calls: the worst run.\n`,
  );
  out.push(
    '| variant | loader calls (worst run) | callers with the value (median) | time to the last answer (median, info) |\n|---|---:|---:|---:|',
  );
  for (const [key, label] of [
    ['vigilTimer', "Vigil `cache.getOrSet('hot', loader)`, 5 ms loader"],
    ['vigilImmediate', 'Vigil `getOrSet`, a loader answering at once'],
    ['vigilWrap', "Vigil `cache.wrap('user', fn)('hot')`, 5 ms loader"],
    ['bento', 'bentocache `getOrSet({ key, factory })`, 5 ms loader (info)'],
    ['cacheManager', 'cache-manager `wrap(key, fn)`, 5 ms loader (info)'],
  ]) {
    out.push(
      `| ${label} | ${dr[key].loaderCalls[1]} | ${count(d[key].callersWithTheValue)} / ${count(d.callers)} | ${d[key].ms.toFixed(1)} ms |`,
    );
  }
  out.push('');

  const h = c.heap;
  out.push('### Heap per entry\n');
  out.push(
    `${count(h.entries)} entries \`'k' + i\` → \`{ id: i }\`, and apart → \`'v' + i\`; keys and values built before the baseline and kept (excluded for both). Vigil: \`new Cache({ name, max: ${count(h.entries)}, registry })\` + \`cache.set(key, value)\`; lru-cache: \`new LRUCache({ max: ${count(h.entries)} })\` + \`set(key, value)\`. \`process.memoryUsage().heapUsed\` after \`gc()\` ×4, after the cache is built and after it is filled, ÷ ${count(h.entries)}; "with construction" counts from before the cache is built (lru-cache allocates its arrays for \`max\` up front); off-heap (\`external\` + \`arrayBuffers\`, from before the cache is built: lru-cache's typed arrays) apart. A first fill of ${count(h.entries / 10)} entries in another cache compiles the code paths. One library and value kind per process, ${h.runs} process${h.runs > 1 ? 'es' : ''} each (alternating), the median; the ratio is the median of the runs' ratios.\n`,
  );
  out.push(
    '| values | library | bytes per entry (median) | min – max over runs | with construction | off-heap per entry | Vigil ÷ lru-cache |\n|---|---|---:|---:|---:|---:|---:|',
  );
  for (const kind of ['object', 'string']) {
    for (const [key, label] of [
      ['vigil', 'Vigil `Cache`'],
      ['lruCache', `lru-cache ${v['lru-cache']}`],
    ]) {
      const [lo, hi] = r.heap[kind].bytesPerEntry[key];
      out.push(
        `| ${kind === 'object' ? '`{ id: i }`' : "`'v' + i`"} | ${label} | ${fmtBytes(h[kind].bytesPerEntry[key])} | ${fmtBytes(lo)} – ${fmtBytes(hi)} | ${fmtBytes(h[kind].withConstruction[key])} | ${fmtBytes(h[kind].externalPerEntry[key])} | ${key === 'vigil' ? fmtRatio(h[kind].ratio) : ''} |`,
      );
    }
  }
  out.push('');
  out.push(
    "The issue's L2 (Redis) row is not measured here: this part covers the in-memory cache (no `l2`); the Redis tier, `@vigil/cache/redis`, is left to a part of its own.\n",
  );
  return out.join('\n');
}

/** The cache part alone (`run.mjs --only=cache`): its targets and section. */
export function renderCacheAlone(results) {
  const m = results.median;
  const mc = results.machine;
  const out = [
    `# Vigil benchmarks: cache alone (${results.rounds} round${results.rounds > 1 ? 's' : ''}${results.quick ? ', QUICK mode' : ''}, ${Math.round(results.durationS)} s)\n`,
    `${mc.date}, Node ${mc.node}, ${mc.cpu} × ${mc.cores}, at ${mc.commit}\n`,
    '| target | Vigil | goal | result |\n|---|---:|---:|---|',
  ];
  for (const t of cacheTargets(m, results.range)) {
    out.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.info ? 'info' : verdict(t.pass)} |`);
  }
  out.push('');
  out.push(renderCache(m, results.range));
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, a, b] = argv.filter((arg) => !arg.startsWith('--'));
  const profiling = flag('only') !== undefined;
  if (mode === 'get') profiling ? await getPart(a) : printJson(await getPart(a));
  else if (mode === 'wrap') profiling ? await wrapPart() : printJson(await wrapPart());
  else if (mode === 'dedupe') printJson(await dedupePart());
  else if (mode === 'heap') printJson(await heapCase(a, b));
  else if (mode === undefined) printJson(await main());
  else throw new Error(`unknown mode ${mode}`);
}
