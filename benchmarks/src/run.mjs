// Runs the whole suite ROUNDS times, each part in a fresh `node` process, takes the median of
// every figure over the rounds and writes benchmarks/RESULTS.md and benchmarks/results.json.
//   node --expose-gc src/run.mjs [--rounds=3] [--quick] [--no-write]
//   node src/run.mjs --report-only   (re-renders RESULTS.md from results.json)
//   node --expose-gc src/run.mjs --only=jobs[,jobsBullmq,alerts,timers,…] [--rounds=N]   (those
//     parts alone: prints their figures, writes nothing; parts: see PARTS)
//   … --only=… --merge   (also puts those parts' medians into results.json and RESULTS.md,
//     noting the commit they were measured at)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/data.mjs';
import { machine } from './lib/machine.mjs';
import { renderResults } from './lib/report.mjs';
import { renderAlertsAlone } from './lib/report-alerts.mjs';
import { renderJobsAlone } from './lib/report-jobs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 3);
const PARTS = [
  'hotPaths',
  'exposition',
  'eventLoop',
  'heap',
  'accuracy',
  'timers',
  'resilience',
  'storage',
  'httpLoad',
  'jobs',
  'jobsBullmq',
  'alerts',
  'notifier',
  'cache',
  'cacheL2',
  'promAggregate',
  'otelBridge',
  'promClientFacade',
];
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
for (const name of only ?? []) {
  if (!PARTS.includes(name)) throw new Error(`--only: unknown part ${name}; parts: ${PARTS}`);
}
const wanted = (name) => only === undefined || only.includes(name);

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
  const results = {};
  if (wanted('hotPaths')) {
    log('hot paths');
    results.hotPaths = part('hot-paths.mjs');
  }
  if (wanted('exposition')) {
    log('exposition');
    results.exposition = part('exposition.mjs');
  }
  if (wanted('eventLoop')) {
    log('event-loop block');
    results.eventLoop = part('event-loop.mjs');
  }
  if (wanted('heap')) {
    log('heap per series');
    const heap = {};
    for (const [library, type, shape, observations, labels] of HEAP_CASES) {
      const r = part('heap.mjs', library, type, shape, String(observations), labels);
      const what = type === 'summary' ? `summary@${observations}` : `${type}.${labels}`;
      const key = `${what}/${shape}/${library}`;
      heap[key] = r.totalPerSeries;
      heap[`heapOnly:${key}`] = r.heapPerSeries;
    }
    results.heap = heap;
  }
  if (wanted('accuracy')) {
    log('quantile accuracy');
    results.accuracy = part('accuracy.mjs');
  }
  if (wanted('timers')) {
    log('timers');
    results.timers = part('timers.mjs');
  }
  if (wanted('resilience')) {
    log('resilience');
    results.resilience = part('resilience.mjs');
  }
  if (wanted('storage')) {
    log('storage');
    results.storage = part('storage.mjs');
  }
  if (wanted('httpLoad')) {
    log('HTTP load');
    results.httpLoad = part('http-load.mjs');
  }
  if (wanted('jobs')) {
    log('jobs');
    results.jobs = part('jobs.mjs');
  }
  if (wanted('jobsBullmq')) {
    log('jobs on BullMQ');
    results.jobsBullmq = part('jobs-bullmq.mjs');
  }
  if (wanted('alerts')) {
    log('alerts');
    results.alerts = part('alerts.mjs');
  }
  if (wanted('notifier')) {
    log('alerts notifier');
    results.notifier = part('notifier.mjs');
  }
  if (wanted('cache')) {
    log('cache');
    results.cache = part('cache.mjs');
  }
  if (wanted('cacheL2')) {
    log('cache L2 (Redis)');
    results.cacheL2 = part('cache-l2.mjs');
  }
  if (wanted('promAggregate')) {
    log('cluster aggregation (prom-client AggregatorRegistry)');
    results.promAggregate = part('prometheus-aggregate.mjs');
  }
  if (wanted('otelBridge')) {
    log('OpenTelemetry bridge');
    results.otelBridge = part('otel-bridge.mjs');
  }
  if (wanted('promClientFacade')) {
    log('@vigil/prom-client vs prom-client');
    results.promClientFacade = part('prom-client-facade.mjs');
  }
  return results;
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
if (only !== undefined && args.includes('--merge')) {
  // Some parts re-run: their medians replace those of the last full run in results.json, each
  // part noted with the commit and date it was measured at, and RESULTS.md is rendered again.
  const saved = JSON.parse(readFileSync(join(root, 'results.json'), 'utf8'));
  saved.partRuns ??= {};
  for (const name of only) {
    saved.median[name] = results.median[name];
    saved.range[name] = results.range[name];
    saved.partRuns[name] = {
      commit: results.machine.commit,
      date: results.machine.date,
      rounds,
    };
  }
  writeFileSync(join(root, 'results.json'), `${JSON.stringify(saved, null, 2)}\n`);
  writeFileSync(join(root, 'RESULTS.md'), renderResults(saved));
  process.stderr.write(`merged ${only.join(', ')} into results.json and RESULTS.md\n`);
}
if (only !== undefined) {
  // Some parts alone: RESULTS.md needs every part, so nothing is written. The jobs parts print
  // their targets and sections (once for both), the alerts part its own.
  if (only.includes('jobs') || only.includes('jobsBullmq')) {
    process.stdout.write(renderJobsAlone(results));
  }
  if (only.includes('alerts')) process.stdout.write(renderAlertsAlone(results));
  if (only.includes('notifier')) {
    const { renderNotifierAlone } = await import('./notifier.mjs');
    process.stdout.write(renderNotifierAlone(results));
  }
  if (only.includes('cache')) {
    const { renderCacheAlone } = await import('./cache.mjs');
    process.stdout.write(renderCacheAlone(results));
  }
  if (only.includes('cacheL2')) {
    const { renderCacheL2Alone } = await import('./cache-l2.mjs');
    process.stdout.write(renderCacheL2Alone(results));
  }
  if (only.includes('promAggregate')) {
    const { renderPromAggregateAlone } = await import('./prometheus-aggregate.mjs');
    process.stdout.write(renderPromAggregateAlone(results));
  }
  if (only.includes('otelBridge')) {
    const { renderOtelBridgeAlone } = await import('./otel-bridge.mjs');
    process.stdout.write(renderOtelBridgeAlone(results));
  }
  if (only.includes('promClientFacade')) {
    const { renderPromClientFacadeAlone } = await import('./prom-client-facade.mjs');
    process.stdout.write(renderPromClientFacadeAlone(results));
  }
  for (const name of only) {
    if (name === 'promAggregate' || name === 'otelBridge' || name === 'promClientFacade') continue;
    if (name === 'cache') continue;
    if (name === 'cacheL2') continue;
    if (name === 'jobs' || name === 'jobsBullmq' || name === 'alerts' || name === 'notifier') {
      continue;
    }
    process.stdout.write(
      `## ${name} (medians)\n\n${JSON.stringify(results.median[name], null, 2)}\n\n`,
    );
  }
  process.exit(0);
}
const markdown = renderResults(results);
if (!args.includes('--no-write')) {
  writeFileSync(join(root, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, 'RESULTS.md'), markdown);
  process.stderr.write(`wrote ${join(root, 'RESULTS.md')} and results.json\n`);
}
process.stdout.write(markdown);
