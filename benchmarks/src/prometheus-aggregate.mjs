// Cluster aggregation: `@vigil/prometheus` merging worker snapshots vs prom-client 15's
// `AggregatorRegistry.aggregate()`, in one process.
//
//  1. Time per scrape. Four workers' metrics, 5,000 series each (the same label sets in every
//     worker, as when each worker serves every route): 4 counters × 500 series, 2 gauges × 500,
//     3 histograms × 500 (prom-client's default 11 buckets, both sides), 1 summary × 500
//     (quantiles 0.5, 0.9, 0.99). Both libraries record the same values. What is timed is the work
//     a primary does with the data it received, IPC excluded on both sides (the workers' snapshot
//     and the transport are outside the clock):
//       - prom-client: `AggregatorRegistry.aggregate(arrayOfGetMetricsAsJSON)` then `.metrics()`;
//       - Vigil: `readSnapshot` of each of the four `registry.snapshot()`s (the validation the
//         aggregator runs on what a worker sends, summary sketches parsed), `mergeSnapshots`
//         (counters and histograms added, sketches merged, quantiles recomputed), then core's
//         `renderSnapshot`: what `ClusterAggregator.metrics()` does after the answers arrive.
//     WARMUP scrapes of each, then ROUNDS rounds of one scrape each (after a `gc()`), the order
//     reversed every other round; the median per variant, the ratio the median of the rounds'
//     ratios. The target is on the wall clock, the time a scrape takes; the process's CPU time
//     (`process.cpuUsage()`) is given too: it adds the work of V8's helper threads (concurrent
//     GC, compilation), which Vigil's allocations (parsed sketches) load more than prom-client's.
//  2. Accuracy of a merged p99. Each summary series gets 100 observations per worker from a
//     worker-specific exponential distribution (scales 2 ms, 10 ms, 30 ms, 80 ms: skewed, so that
//     the workers disagree), and the true p99 of the 400 observations pooled (nearest rank) is
//     compared with prom-client's aggregate (the mean of the four workers' t-digest p99s, with
//     `aggregator: 'average'` on the summary; its default, 'sum', adds them: given for info) and
//     Vigil's (the p99 of the merged sketch); the relative error, median and worst over the 500
//     series.
//
//   node --expose-gc src/prometheus-aggregate.mjs [--quick]   (prints one JSON line last)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry, renderSnapshot } from '@vigil/core';
import { mergeSnapshots, readSnapshot } from '@vigil/prometheus';
import client from 'prom-client';
import { median, prng } from './lib/data.mjs';
import { fmtMs, fmtPct, fmtRatio, verdict } from './lib/format.mjs';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const quick = process.argv.includes('--quick');

const WORKERS = 4;
const SERIES_PER_METRIC = 500;
const COUNTERS = 4;
const GAUGES = 2;
const HISTOGRAMS = 3;
const SUMMARIES = 1;
const SERIES_PER_WORKER = (COUNTERS + GAUGES + HISTOGRAMS + SUMMARIES) * SERIES_PER_METRIC;
const HISTOGRAM_OBSERVATIONS = 4;
const SUMMARY_OBSERVATIONS = 100;
const QUANTILES = [0.5, 0.9, 0.99];
/** Exponential scale of each worker's summary observations, in seconds. */
const WORKER_SCALES = [0.002, 0.01, 0.03, 0.08];
const WARMUP = quick ? 2 : 5;
const ROUNDS = quick ? 5 : 15;

// Targets.
const MIN_SPEEDUP = 2;
const MAX_P99_ERROR = 0.01;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
/** The 500 label sets every metric has: 125 routes × 4 methods. */
const LABEL_SETS = Array.from({ length: SERIES_PER_METRIC }, (_, i) => ({
  route: `/api/v1/resource${Math.floor(i / METHODS.length)}/:id`,
  method: METHODS[i % METHODS.length],
}));

/** The values every worker records, the same for both libraries. */
function workerData(w) {
  const random = prng(1000 + w);
  const counters = Array.from({ length: COUNTERS }, () =>
    LABEL_SETS.map(() => Math.floor(random() * 1000)),
  );
  const gauges = Array.from({ length: GAUGES }, () => LABEL_SETS.map(() => random() * 100));
  const histograms = Array.from({ length: HISTOGRAMS }, () =>
    LABEL_SETS.map(() =>
      Array.from({ length: HISTOGRAM_OBSERVATIONS }, () => -Math.log(1 - random()) * 0.2),
    ),
  );
  const scale = WORKER_SCALES[w];
  const summaries = Array.from({ length: SUMMARIES }, () =>
    LABEL_SETS.map((_, s) =>
      Array.from(
        { length: SUMMARY_OBSERVATIONS },
        () => -Math.log(1 - random()) * scale * (1 + (s % 7) / 7),
      ),
    ),
  );
  return { counters, gauges, histograms, summaries };
}

const LABEL_NAMES = ['route', 'method'];
/** prom-client's default buckets, given to both. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Worker `data` recorded in a Vigil registry (what a worker's `registry.snapshot()` reads). */
function vigilWorker(data) {
  const registry = new Registry();
  data.counters.forEach((values, m) => {
    const counter = registry.counter({
      name: `bench_requests_${m}_total`,
      help: 'Requests.',
      labelNames: LABEL_NAMES,
    });
    values.forEach((value, i) => {
      counter.inc(LABEL_SETS[i], value);
    });
  });
  data.gauges.forEach((values, m) => {
    const gauge = registry.gauge({
      name: `bench_in_flight_${m}`,
      help: 'In flight.',
      labelNames: LABEL_NAMES,
    });
    values.forEach((value, i) => {
      gauge.set(LABEL_SETS[i], value);
    });
  });
  data.histograms.forEach((series, m) => {
    const histogram = registry.histogram({
      name: `bench_duration_${m}_seconds`,
      help: 'Duration.',
      labelNames: LABEL_NAMES,
      buckets: BUCKETS,
    });
    series.forEach((values, i) => {
      for (const value of values) histogram.observe(LABEL_SETS[i], value);
    });
  });
  data.summaries.forEach((series, m) => {
    const summary = registry.summary({
      name: `bench_latency_${m}_seconds`,
      help: 'Latency.',
      labelNames: LABEL_NAMES,
      quantiles: QUANTILES,
    });
    series.forEach((values, i) => {
      for (const value of values) summary.observe(LABEL_SETS[i], value);
    });
  });
  return registry;
}

/** Worker `data` recorded in a prom-client registry (what `getMetricsAsJSON()` reads). */
function promWorker(data) {
  const registry = new client.Registry();
  data.counters.forEach((values, m) => {
    const counter = new client.Counter({
      name: `bench_requests_${m}_total`,
      help: 'Requests.',
      labelNames: LABEL_NAMES,
      registers: [registry],
    });
    values.forEach((value, i) => {
      counter.inc(LABEL_SETS[i], value);
    });
  });
  data.gauges.forEach((values, m) => {
    const gauge = new client.Gauge({
      name: `bench_in_flight_${m}`,
      help: 'In flight.',
      labelNames: LABEL_NAMES,
      registers: [registry],
    });
    values.forEach((value, i) => {
      gauge.set(LABEL_SETS[i], value);
    });
  });
  data.histograms.forEach((series, m) => {
    const histogram = new client.Histogram({
      name: `bench_duration_${m}_seconds`,
      help: 'Duration.',
      labelNames: LABEL_NAMES,
      buckets: BUCKETS,
      registers: [registry],
    });
    series.forEach((values, i) => {
      for (const value of values) histogram.observe(LABEL_SETS[i], value);
    });
  });
  data.summaries.forEach((series, m) => {
    const summary = new client.Summary({
      name: `bench_latency_${m}_seconds`,
      help: 'Latency.',
      labelNames: LABEL_NAMES,
      percentiles: QUANTILES,
      // The best prom-client can do for quantiles: its default, 'sum', adds the workers' p99s.
      aggregator: 'average',
      registers: [registry],
    });
    series.forEach((values, i) => {
      for (const value of values) summary.observe(LABEL_SETS[i], value);
    });
  });
  return registry;
}

/** One call of `fn`: its answer, and the wall-clock and CPU ms it took. */
async function timed(fn) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const value = await fn();
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) / 1000, value };
}

/** The value of rank ceil(q·n) (nearest rank, as both libraries define a quantile). */
function trueQuantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const log = (what) => process.stderr.write(`prometheus-aggregate: ${what}\n`);
  log('recording four workers in both libraries');
  const data = Array.from({ length: WORKERS }, (_, w) => workerData(w));
  // What the primary receives: the workers' snapshots, taken (and sent) outside the clock.
  const vigilSnapshots = data.map((d) => vigilWorker(d).snapshot());
  const promJson = await Promise.all(data.map((d) => promWorker(d).getMetricsAsJSON()));
  const seriesPerWorker = vigilSnapshots[0].metrics.reduce((n, m) => n + m.series.length, 0);
  if (seriesPerWorker !== SERIES_PER_WORKER) {
    throw new Error(`expected ${SERIES_PER_WORKER} series per worker, got ${seriesPerWorker}`);
  }

  const variants = {
    vigil: () => {
      const received = vigilSnapshots.map((snapshot, w) => ({
        worker: String(w + 1),
        snapshot: readSnapshot(snapshot),
      }));
      return renderSnapshot(mergeSnapshots(received).snapshot);
    },
    promClient: async () => client.AggregatorRegistry.aggregate(promJson).metrics(),
  };
  const names = Object.keys(variants);
  const outputs = {};
  log(`warming up (${WARMUP} scrapes each)`);
  for (let i = 0; i < WARMUP; i++) {
    for (const name of names) outputs[name] = await variants[name]();
  }
  // Both aggregates must hold the same counter totals (a check that both did the work).
  const totalOf = (text) => {
    let total = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('bench_requests_'))
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  };
  const expectedTotal = data.reduce(
    (sum, d) => sum + d.counters.flat().reduce((a, b) => a + b, 0),
    0,
  );
  for (const name of names) {
    if (totalOf(outputs[name]) !== expectedTotal) {
      throw new Error(
        `${name}: counter total ${totalOf(outputs[name])}, expected ${expectedTotal}`,
      );
    }
  }

  log(`timing (${ROUNDS} rounds)`);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    global.gc?.();
    const order = r % 2 === 0 ? names : [...names].reverse();
    const round = {};
    for (const name of order) {
      const { wall, cpu } = await timed(variants[name]);
      round[name] = { wall, cpu };
    }
    rounds.push(round);
  }
  const of = (name, clock) => median(rounds.map((round) => round[name][clock]));
  const ratio = (clock) =>
    median(rounds.map((round) => round.promClient[clock] / round.vigil[clock]));

  log('accuracy of the merged p99');
  const vigilMerged = mergeSnapshots(
    vigilSnapshots.map((snapshot, w) => ({ worker: String(w + 1), snapshot })),
  ).snapshot;
  const vigilSummary = vigilMerged.metrics.find((m) => m.name === 'bench_latency_0_seconds');
  const promSummary = (await client.AggregatorRegistry.aggregate(promJson).getMetricsAsJSON()).find(
    (m) => m.name === 'bench_latency_0_seconds',
  );
  const p99Index = QUANTILES.indexOf(0.99);
  const vigilErrors = [];
  const promErrors = [];
  const promSumErrors = [];
  LABEL_SETS.forEach((labels, s) => {
    const pooled = data.flatMap((d) => d.summaries[0][s]);
    const truth = trueQuantile(pooled, 0.99);
    const vigilSeries = vigilSummary.series.find(
      (x) => x.labels.route === labels.route && x.labels.method === labels.method,
    );
    const promValue = promSummary.values.find(
      (v) =>
        v.labels.quantile === 0.99 &&
        v.labels.route === labels.route &&
        v.labels.method === labels.method,
    ).value;
    vigilErrors.push(Math.abs(vigilSeries.quantiles[p99Index] - truth) / truth);
    promErrors.push(Math.abs(promValue - truth) / truth);
    // prom-client's default aggregator ('sum') would report the sum of the workers' p99s.
    promSumErrors.push(Math.abs(promValue * WORKERS - truth) / truth);
  });

  return {
    versions: { 'prom-client': versionOf('prom-client'), node: process.version },
    shape: {
      workers: WORKERS,
      seriesPerWorker: SERIES_PER_WORKER,
      counters: COUNTERS * SERIES_PER_METRIC,
      gauges: GAUGES * SERIES_PER_METRIC,
      histograms: HISTOGRAMS * SERIES_PER_METRIC,
      summaries: SUMMARIES * SERIES_PER_METRIC,
      buckets: BUCKETS.length,
      summaryObservationsPerWorker: SUMMARY_OBSERVATIONS,
    },
    rounds: ROUNDS,
    scrapeMs: {
      vigil: { cpu: of('vigil', 'cpu'), wall: of('vigil', 'wall') },
      promClient: { cpu: of('promClient', 'cpu'), wall: of('promClient', 'wall') },
    },
    speedup: { cpu: ratio('cpu'), wall: ratio('wall') },
    outputBytes: {
      vigil: Buffer.byteLength(outputs.vigil),
      promClient: Buffer.byteLength(outputs.promClient),
    },
    p99RelativeError: {
      vigil: { median: median(vigilErrors), max: Math.max(...vigilErrors) },
      promClient: { median: median(promErrors), max: Math.max(...promErrors) },
      promClientSum: { median: median(promSumErrors), max: Math.max(...promSumErrors) },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The report: targets and section, on the medians (`m.promAggregate`), min – max over runs.

/** The targets of the issue, on the medians. */
export function promAggregateTargets(m) {
  const a = m.promAggregate;
  return [
    {
      name: `cluster aggregation: merge + render of ${a.shape.workers} workers × ${a.shape.seriesPerWorker.toLocaleString('en-US')} series vs prom-client \`AggregatorRegistry.aggregate()\` + \`metrics()\``,
      value: `${fmtRatio(a.speedup.wall)} faster (${fmtMs(a.scrapeMs.vigil.wall)} vs ${fmtMs(a.scrapeMs.promClient.wall)}; on CPU time with V8's helper threads ${fmtRatio(a.speedup.cpu)})`,
      target: `≥ ${MIN_SPEEDUP}×`,
      pass: a.speedup.wall >= MIN_SPEEDUP,
    },
    {
      name: 'cluster aggregation: relative error of a merged summary p99 vs the true p99 of all workers pooled (worst series)',
      value: `${fmtPct(a.p99RelativeError.vigil.max)} (prom-client's averaged p99s: ${fmtPct(a.p99RelativeError.promClient.max)})`,
      target: `≤ ${fmtPct(MAX_P99_ERROR)}`,
      pass: a.p99RelativeError.vigil.max <= MAX_P99_ERROR,
    },
  ];
}

export function renderPromAggregate(m, range) {
  const a = m.promAggregate;
  const r = range?.promAggregate;
  const span = (pick, fmt) => (r === undefined ? '' : `${fmt(pick(r)[0])} – ${fmt(pick(r)[1])}`);
  const s = a.shape;
  const out = [];
  out.push('## Cluster aggregation: `@vigil/prometheus` vs prom-client `AggregatorRegistry`\n');
  out.push(
    `prom-client ${a.versions['prom-client']}, Node ${a.versions.node}. ${s.workers} workers, ${s.seriesPerWorker.toLocaleString('en-US')} series each, the same label sets in every worker (125 routes × 4 methods): ${s.counters.toLocaleString('en-US')} counter series (4 metrics), ${s.gauges.toLocaleString('en-US')} gauge series (2), ${s.histograms.toLocaleString('en-US')} histogram series (3, ${s.buckets} buckets), ${s.summaries} summary series (quantiles 0.5, 0.9, 0.99; ${s.summaryObservationsPerWorker} observations per series and worker); both libraries record the same values. Timed: what the primary does with what the workers sent, **IPC excluded on both sides** (the workers' \`getMetricsAsJSON()\` / \`registry.snapshot()\` and the transport are outside the clock). prom-client: \`AggregatorRegistry.aggregate(arrayOfGetMetricsAsJSON)\` then \`.metrics()\`. Vigil: \`readSnapshot\` of the four snapshots (the validation \`ClusterAggregator\` runs on every answer, sketches parsed), \`mergeSnapshots\` (counters and histograms added, summary sketches merged exactly, quantiles recomputed), core's \`renderSnapshot\`. Both aggregates are checked to hold the same counter totals. ${a.rounds} rounds of one scrape each (after a \`gc()\`), alternating the order; medians over rounds, the ratio the median of the rounds' ratios. The target is on the wall clock, the time a scrape takes (both run on the main thread, synchronously but for prom-client's \`await\`s); the process's CPU time (\`process.cpuUsage()\`) is given too: it adds V8's helper threads (concurrent GC, compilation), which Vigil's allocations load more (each worker's summary sketches are parsed into typed arrays).\n`,
  );
  out.push(
    '| variant | ms per scrape (wall clock, median) | min – max over runs | CPU time, helper threads included | output |\n|---|---:|---:|---:|---:|',
  );
  for (const [key, label] of [
    ['vigil', 'Vigil `readSnapshot` ×4 + `mergeSnapshots` + `renderSnapshot`'],
    [
      'promClient',
      `prom-client ${a.versions['prom-client']} \`AggregatorRegistry.aggregate()\` + \`metrics()\``,
    ],
  ]) {
    out.push(
      `| ${label} | ${fmtMs(a.scrapeMs[key].wall)} | ${span((x) => x.scrapeMs[key].wall, fmtMs)} | ${fmtMs(a.scrapeMs[key].cpu)} | ${(a.outputBytes[key] / 1024).toFixed(0)} KB |`,
    );
  }
  out.push('');
  out.push(
    `Vigil is **${fmtRatio(a.speedup.wall)}** faster per scrape (on CPU time with the helper threads ${fmtRatio(a.speedup.cpu)})${r === undefined ? '' : `; over runs ${span((x) => x.speedup.wall, fmtRatio)}`}. Of Vigil's time, reading the ${s.workers * s.summaries} summary sketches (core's \`ExponentialSketch.fromJSON\`: checking and loading ~600 buckets each) is the largest part.\n`,
  );
  out.push('### Merged p99 against the truth\n');
  out.push(
    `Each worker's summary observations follow an exponential distribution of its own (scales ${WORKER_SCALES.map((v) => `${v * 1000} ms`).join(', ')}), so the workers disagree, as a slow worker and a fast one do. For each of the ${s.summaries} series, the true p99 of the ${s.workers * s.summaryObservationsPerWorker} observations pooled (nearest rank) is compared with each aggregate: prom-client averages the workers' p99s (the summary is given \`aggregator: 'average'\`, the best of its aggregators for quantiles; its default, \`'sum'\`, adds them), Vigil merges the workers' sketches and reads the p99 of the merge, within the sketch's 1 % relative error by construction.\n`,
  );
  out.push('| aggregate | p99 relative error, median series | worst series |\n|---|---:|---:|');
  for (const [key, label] of [
    ['vigil', 'Vigil (merged sketches)'],
    ['promClient', "prom-client (averaged p99s, `aggregator: 'average'`)"],
    ['promClientSum', "prom-client's default `aggregator: 'sum'` (summed p99s)"],
  ]) {
    out.push(
      `| ${label} | ${fmtPct(a.p99RelativeError[key].median)} | ${fmtPct(a.p99RelativeError[key].max)} |`,
    );
  }
  out.push('');
  return out.join('\n');
}

/** The part alone (`run.mjs --only=promAggregate`): its targets and section. */
export function renderPromAggregateAlone(results) {
  const m = results.median;
  const mc = results.machine;
  const out = [
    `# Vigil benchmarks: cluster aggregation alone (${results.rounds} round${results.rounds > 1 ? 's' : ''}${results.quick ? ', QUICK mode' : ''}, ${Math.round(results.durationS)} s)\n`,
    `${mc.date}, Node ${mc.node}, ${mc.cpu} × ${mc.cores}, at ${mc.commit}\n`,
    '| target | Vigil | goal | result |\n|---|---:|---:|---|',
  ];
  for (const t of promAggregateTargets(m, results.range)) {
    out.push(`| ${t.name} | ${t.value} | ${t.target} | ${verdict(t.pass)} |`);
  }
  out.push('');
  out.push(renderPromAggregate(m, results.range));
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printJson(await main());
}
