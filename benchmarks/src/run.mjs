// Runs the whole suite ROUNDS times, each part in a fresh `node` process, takes the median of
// every figure over the rounds and writes benchmarks/RESULTS.md and benchmarks/results.json.
//   node --expose-gc src/run.mjs [--rounds=3] [--quick] [--no-write]
//   node src/run.mjs --report-only   (re-renders RESULTS.md from results.json)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/data.mjs';
import { machine } from './lib/machine.mjs';
import { renderResults } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 3);

// [library, type, shape, observations, labels]: summaries (an absolute target, KBs per series)
// only with kept labels, to keep a run short.
const HEAP_CASES = [];
for (const shape of ['dense', 'sparse']) {
  for (const library of ['vigil', 'prom-client']) {
    for (const labels of ['kept', 'transient']) {
      HEAP_CASES.push([library, 'counter', shape, 1, labels]);
      HEAP_CASES.push([library, 'histogram', shape, 1, labels]);
    }
    HEAP_CASES.push([library, 'summary', shape, 1, 'kept']);
    HEAP_CASES.push([library, 'summary', shape, 100, 'kept']);
  }
}

/** Runs `file` in a fresh process and parses the JSON line it prints last. */
function part(file, ...extra) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', join(here, file), ...extra, ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function round(n) {
  const log = (what) => process.stderr.write(`round ${n}/${rounds}: ${what}\n`);
  log('hot paths');
  const hotPaths = part('hot-paths.mjs');
  log('exposition');
  const exposition = part('exposition.mjs');
  log('event-loop block');
  const eventLoop = part('event-loop.mjs');
  log('heap per series');
  const heap = {};
  for (const [library, type, shape, observations, labels] of HEAP_CASES) {
    const r = part('heap.mjs', library, type, shape, String(observations), labels);
    const what = type === 'summary' ? `summary@${observations}` : `${type}.${labels}`;
    const key = `${what}/${shape}/${library}`;
    heap[key] = r.totalPerSeries;
    heap[`heapOnly:${key}`] = r.heapPerSeries;
  }
  log('quantile accuracy');
  const accuracy = part('accuracy.mjs');
  log('timers');
  const timers = part('timers.mjs');
  log('resilience');
  const resilience = part('resilience.mjs');
  log('storage');
  const storage = part('storage.mjs');
  log('HTTP load');
  const httpLoad = part('http-load.mjs');
  return { hotPaths, exposition, eventLoop, heap, accuracy, timers, resilience, storage, httpLoad };
}

/** Medians, leaf by leaf, of objects of the same shape; arrays are medianed element-wise. */
function medianOf(objects) {
  const first = objects[0];
  if (typeof first === 'number') return median(objects);
  if (Array.isArray(first)) return first.map((_, i) => medianOf(objects.map((o) => o[i])));
  if (typeof first === 'object' && first !== null) {
    const out = {};
    for (const key of Object.keys(first)) out[key] = medianOf(objects.map((o) => o[key]));
    return out;
  }
  return first;
}

function spreadOf(objects) {
  const first = objects[0];
  if (typeof first === 'number') return [Math.min(...objects), Math.max(...objects)];
  if (Array.isArray(first)) return first.map((_, i) => spreadOf(objects.map((o) => o[i])));
  if (typeof first === 'object' && first !== null) {
    const out = {};
    for (const key of Object.keys(first)) out[key] = spreadOf(objects.map((o) => o[key]));
    return out;
  }
  return first;
}

if (args.includes('--report-only')) {
  const saved = JSON.parse(readFileSync(join(root, 'results.json'), 'utf8'));
  writeFileSync(join(root, 'RESULTS.md'), renderResults(saved));
  process.exit(0);
}

const started = Date.now();
const all = [];
for (let n = 1; n <= rounds; n++) all.push(round(n));
const results = {
  machine: machine(root),
  rounds,
  quick,
  durationS: (Date.now() - started) / 1000,
  median: medianOf(all),
  range: spreadOf(all),
  raw: all,
};
const markdown = renderResults(results);
if (!args.includes('--no-write')) {
  writeFileSync(join(root, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, 'RESULTS.md'), markdown);
  process.stderr.write(`wrote ${join(root, 'RESULTS.md')} and results.json\n`);
}
process.stdout.write(markdown);
