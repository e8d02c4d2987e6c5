// Recording hot paths, Vigil vs prom-client vs the OpenTelemetry SDK, in one process.
// Each task function runs BATCH operations over pre-built label objects and values (the same
// arrays for every library), so timer overhead is amortised; ops/s = BATCH / mean task time.
import { Registry } from '@vigil/core';
import client from 'prom-client';
import { Bench } from 'tinybench';
import { COMBOS, LABEL_NAMES, labelSets, latencies } from './lib/data.mjs';
import { otelMeter } from './lib/otel.mjs';
import { printJson } from './lib/output.mjs';

const BATCH = 1024;
const MASK = BATCH - 1;
const QUANTILES = [0.5, 0.9, 0.99];

export async function hotPaths({ time = 1000, warmupTime = 300 } = {}) {
  const { sets, combo } = labelSets(BATCH);
  const values = latencies(BATCH);

  // --- Vigil ---
  const vigil = new Registry();
  const vCounter = vigil.counter({ name: 'req_total', help: 'h', labelNames: LABEL_NAMES });
  const vBoundCounter = vigil.counter({ name: 'bound_total', help: 'h', labelNames: LABEL_NAMES });
  const vHistogram = vigil.histogram({ name: 'req_seconds', help: 'h', labelNames: LABEL_NAMES });
  const vSummaryWindowed = vigil.summary({
    name: 'windowed_seconds',
    help: 'h',
    quantiles: QUANTILES,
    maxAge: '10m',
    ageBuckets: 5,
  });
  const vSummaryPlain = vigil.summary({
    name: 'plain_seconds',
    help: 'h',
    quantiles: QUANTILES,
    maxAge: false,
  });
  const vChildByCombo = COMBOS.map(([method, route, status]) =>
    vBoundCounter.labels({ method, route, status }),
  );
  const vChildren = Array.from(combo, (k) => vChildByCombo[k]);

  // --- prom-client ---
  const prom = new client.Registry();
  const pCounter = new client.Counter({
    name: 'req_total',
    help: 'h',
    labelNames: LABEL_NAMES,
    registers: [prom],
  });
  const pBoundCounter = new client.Counter({
    name: 'bound_total',
    help: 'h',
    labelNames: LABEL_NAMES,
    registers: [prom],
  });
  const pHistogram = new client.Histogram({
    name: 'req_seconds',
    help: 'h',
    labelNames: LABEL_NAMES,
    registers: [prom],
  });
  const pSummaryWindowed = new client.Summary({
    name: 'windowed_seconds',
    help: 'h',
    percentiles: QUANTILES,
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers: [prom],
  });
  const pSummaryPlain = new client.Summary({
    name: 'plain_seconds',
    help: 'h',
    percentiles: QUANTILES,
    registers: [prom],
  });
  const pChildByCombo = COMBOS.map(([method, route, status]) =>
    pBoundCounter.labels({ method, route, status }),
  );
  const pChildren = Array.from(combo, (k) => pChildByCombo[k]);

  // --- OpenTelemetry (with a reader attached, else the SDK records nothing) ---
  const { meter } = otelMeter();
  const oCounter = meter.createCounter('req_total');
  // The same bucket bounds as prom-client's and Vigil's defaults (OTel's own default has 15).
  const oHistogram = meter.createHistogram('req_seconds', {
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });

  const o = { v: 0 };
  const tasks = [
    // Every loop is written out on its own so that no call site is shared (and made
    // polymorphic) between libraries.
    [
      'floor',
      'floor',
      () => {
        for (let i = 0; i < BATCH; i++) o.v += 1;
      },
    ],
    [
      'bound',
      'vigil',
      () => {
        for (let i = 0; i < BATCH; i++) vChildren[i & MASK].inc();
      },
    ],
    [
      'bound',
      'prom-client',
      () => {
        for (let i = 0; i < BATCH; i++) pChildren[i & MASK].inc();
      },
    ],
    [
      'bindEach',
      'vigil',
      () => {
        for (let i = 0; i < BATCH; i++) vBoundCounter.labels(sets[i & MASK]).inc();
      },
    ],
    [
      'bindEach',
      'prom-client',
      () => {
        for (let i = 0; i < BATCH; i++) pBoundCounter.labels(sets[i & MASK]).inc();
      },
    ],
    [
      'inc3',
      'vigil',
      () => {
        for (let i = 0; i < BATCH; i++) vCounter.inc(sets[i & MASK]);
      },
    ],
    [
      'inc3',
      'prom-client',
      () => {
        for (let i = 0; i < BATCH; i++) pCounter.inc(sets[i & MASK]);
      },
    ],
    [
      'inc3',
      'otel',
      () => {
        for (let i = 0; i < BATCH; i++) oCounter.add(1, sets[i & MASK]);
      },
    ],
    [
      'observe3',
      'vigil',
      () => {
        for (let i = 0; i < BATCH; i++) vHistogram.observe(sets[i & MASK], values[i & MASK]);
      },
    ],
    [
      'observe3',
      'prom-client',
      () => {
        for (let i = 0; i < BATCH; i++) pHistogram.observe(sets[i & MASK], values[i & MASK]);
      },
    ],
    [
      'observe3',
      'otel',
      () => {
        for (let i = 0; i < BATCH; i++) oHistogram.record(values[i & MASK], sets[i & MASK]);
      },
    ],
    [
      'summaryWindowed',
      'vigil',
      () => {
        for (let i = 0; i < BATCH; i++) vSummaryWindowed.observe(values[i & MASK]);
      },
    ],
    [
      'summaryWindowed',
      'prom-client',
      () => {
        for (let i = 0; i < BATCH; i++) pSummaryWindowed.observe(values[i & MASK]);
      },
    ],
    [
      'summaryPlain',
      'vigil',
      () => {
        for (let i = 0; i < BATCH; i++) vSummaryPlain.observe(values[i & MASK]);
      },
    ],
    [
      'summaryPlain',
      'prom-client',
      () => {
        for (let i = 0; i < BATCH; i++) pSummaryPlain.observe(values[i & MASK]);
      },
    ],
  ];

  const bench = new Bench({ time, warmupTime, throws: true });
  for (const [row, library, fn] of tasks) bench.add(`${row}/${library}`, fn);
  await bench.run();

  const results = {};
  for (const task of bench.tasks) {
    const [row, library] = task.name.split('/');
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
    results[row] ??= {};
    results[row][library] = (BATCH * 1000) / result.period;
  }
  // Sanity: every library really recorded (a no-op would look fast).
  const recorded = {
    vigil: vCounter.get(sets[0]) > 0 && vHistogram.get(sets[0]).count > 0,
    prom: (await pCounter.get()).values.length > 0,
  };
  if (!recorded.vigil || !recorded.prom || o.v === 0) throw new Error('a library recorded nothing');
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printJson(await hotPaths(process.argv.includes('--quick') ? { time: 200, warmupTime: 50 } : {}));
}
