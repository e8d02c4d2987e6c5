// Profiles jobs.mjs's Vigil throughput case under the V8 CPU profiler and prints the functions
// with the most self time, mapped back to their source through the dist source maps, and the
// self time by package (for whoever optimises @vigil/jobs' hot path):
//   node --expose-gc src/profile-jobs.mjs [run|enqueue] [seconds=5] [top=25] [--alloc]
// --alloc: the sampling heap profiler instead (bytes allocated per job, by the function that
// allocated them, objects the GC already collected included): most of the CPU time of this case
// is garbage collection.
// `run`: Promise.all(ids.map(() => jobs.run('noop', null).result)), 100,000 no-op
// jobs at concurrency 8, metrics on (a Registry), a fresh runner per batch, as jobs.mjs measures
// it; `enqueue`: enqueue each, then wait for `drained`. Not part of the run.
// The full profile is written to benchmarks/profiles/jobs-<case>.cpuprofile (open it in Chrome
// DevTools › Performance, or VS Code).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@vigil/core';
import { JobRunner } from '@vigil/jobs';

const alloc = process.argv.includes('--alloc');
const [name = 'run', seconds = '5', topCount = '25'] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'));
const JOBS = 100_000;
const CONCURRENCY = 8;
const ids = Array.from({ length: JOBS }, (_, i) => i);
const noop = () => undefined;
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

function runner() {
  return new JobRunner({
    registry: new Registry(),
    concurrency: CONCURRENCY,
    types: { noop: { handler: noop, concurrency: CONCURRENCY } },
  });
}

const cases = {
  run: async () => {
    const jobs = runner();
    await jobs.ready();
    await Promise.all(ids.map(() => jobs.run('noop', null).result));
    await jobs.close();
  },
  enqueue: async () => {
    const jobs = runner();
    await jobs.ready();
    const drained = new Promise((resolve) => jobs.once('drained', resolve));
    for (let i = 0; i < ids.length; i++) jobs.enqueue('noop', null);
    await drained;
    await jobs.close();
  },
};

if (!(name in cases)) throw new Error(`unknown case ${name}; one of ${Object.keys(cases)}`);
const run = cases[name];
await run(); // warm-up
const session = new Session();
session.connect();
const end = performance.now() + Number(seconds) * 1000;
let batches = 0;
let profile;
let heapProfile;
if (alloc) {
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  while (performance.now() < end) {
    await run();
    batches++;
  }
  heapProfile = (await session.post('HeapProfiler.stopSampling')).profile;
} else {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  while (performance.now() < end) {
    await run();
    batches++;
  }
  profile = (await session.post('Profiler.stop')).profile;
}

const dir = join(here, '..', 'profiles');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, `jobs-${name}.${alloc ? 'heapprofile' : 'cpuprofile'}`),
  JSON.stringify(alloc ? heapProfile : profile),
);

/** Source maps of dist files, read once; undefined where a file has none. */
const maps = new Map();
function sourceMapOf(path) {
  if (!maps.has(path)) {
    const file = `${path}.map`;
    maps.set(
      path,
      existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined,
    );
  }
  return maps.get(path);
}

/** `packages/jobs/src/lane.ts:42` for a dist position, or the file and line as they are. */
function where({ url, lineNumber, columnNumber }) {
  if (!url.startsWith('file://')) return url === '' ? '' : url;
  const path = fileURLToPath(url);
  const map = path.includes('/packages/') ? sourceMapOf(path) : undefined;
  const entry = map?.findEntry(lineNumber, columnNumber);
  if (entry?.originalSource !== undefined) {
    const source = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : join(dirname(path), entry.originalSource);
    return `${relative(repo, source)}:${entry.originalLine + 1}`;
  }
  return `${relative(repo, path)}:${lineNumber + 1}`;
}

function packageOf(url, functionName) {
  if (url.includes('/packages/')) return `@vigil/${url.split('/packages/')[1].split('/')[0]}`;
  if (url.includes('/node_modules/')) {
    const after = url.split('/node_modules/').pop().split('/');
    return after[0].startsWith('@') ? `${after[0]}/${after[1]}` : after[0];
  }
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/benchmarks/')) return 'the benchmark';
  return functionName.startsWith('(') ? functionName : 'V8 / runtime (builtins)';
}

/** [callFrame, self value] of every node of a CPU profile (value: µs) or heap profile (bytes). */
function selfValues() {
  if (alloc) {
    const out = [];
    const walk = (node) => {
      out.push([node.callFrame, node.selfSize]);
      for (const child of node.children) walk(child);
    };
    walk(heapProfile.head);
    return out;
  }
  const selfTime = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return profile.nodes.map((node) => [node.callFrame, selfTime.get(node.id) ?? 0]);
}

const byFunction = new Map();
const byPackage = new Map();
let total = 0;
for (const [callFrame, value] of selfValues()) {
  if (value === 0) continue;
  total += value;
  const { functionName, url } = callFrame;
  const key = `${functionName || '(anonymous)'}  ${where(callFrame)}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + value);
  const pkg = packageOf(url, functionName || '(anonymous)');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + value);
}
const jobs = batches * JOBS;
const pct = (value) => `${((100 * value) / total).toFixed(1).padStart(5)} %`;
const perJob = (value) =>
  alloc
    ? `  ${Math.round(value / jobs)
        .toString()
        .padStart(5)} B/job`
    : '';
console.log(
  `${name}: ${batches} batches of ${JOBS.toLocaleString('en-US')} jobs in ${seconds} s (${Math.round(jobs / Number(seconds)).toLocaleString('en-US')} jobs/s under the profiler); ${alloc ? `bytes allocated (sampled), ${Math.round(total / jobs)} B per job in all` : 'self time'}:`,
);
console.log('\nby package:');
for (const [pkg, value] of [...byPackage].sort((a, b) => b[1] - a[1])) {
  console.log(`${pct(value)}${perJob(value)}  ${pkg}`);
}
console.log('\nby function:');
for (const [key, value] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(topCount))) {
  console.log(`${pct(value)}${perJob(value)}  ${key}`);
}
