// @vigil/otel: the cost of recording through Vigil (and shipping over OTLP through the bridge)
// against recording with the OpenTelemetry SDK's own instruments, and the cost of the bridge's
// collection.
//
//  1. Hot path: Vigil's bound children (`counter.labels({ method, route, status })` once, then
//     `child.inc()`; `histogram.labels(...)`, then `child.observe(v)`) against the SDK's
//     `counter.add(1, attributes)` and `histogram.record(v, attributes)` (the SDK has no bound
//     instruments), over the 80 label sets of lib/data.mjs (BATCH operations per sample, the
//     label set cycling). The Vigil registry is the one a `VigilMetricProducer` ships: attached
//     to a `MeterProvider`'s reader, as in a service (it costs nothing until a collection). The SDK
//     has a reader too (else it records nothing). Same histogram bounds (Vigil's defaults). After
//     WARMUP samples of every variant, ROUNDS rounds time one sample of each, the order reversed
//     every other round; ns/op on the process's CPU time (`process.cpuUsage()`), and the wall
//     clock as a check; a ratio is the median of the rounds' ratios.
//  2. Export: a registry of 10,000 series (4,000 counter, 2,000 gauge, 3,000 histogram with the 11
//     default buckets, 1,000 summary with `maxAge: false`, 20 observations each) collected through
//     the bridge: `producer.collect()` alone (snapshot → ResourceMetrics), and
//     `reader.collect()` of a MeterProvider reader with the producer in its `metricProducers`
//     (what a PeriodicExportingMetricReader does before each export); then the OTLP protobuf
//     encoding of that ResourceMetrics by `@opentelemetry/otlp-transformer`'s
//     `ProtobufMetricsSerializer` (what the HTTP/protobuf and gRPC exporters send), when the
//     workspace has it. For information, the SDK collecting 10,000 series of its own instruments
//     (the same mix, without summaries: 5,000 counter series, 2,000 gauge, 3,000 histogram).
//     EXPORT_ROUNDS timed collections after EXPORT_WARMUP; the median.
//  3. Scrape (information): a `VigilMetricReader` (the registry's collector) serving 1,000
//     OpenTelemetry histogram series and 1,000 counter series on a registry; 10 new observations
//     per histogram series between two `registry.metrics()`; the scrape's ms (the SDK's cumulative
//     collection, its conversion to metric snapshots, the rendering), median over SCRAPE_ROUNDS.
//
//   node --expose-gc src/otel-bridge.mjs [--quick]    (prints one JSON line, last)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { Registry } from '@vigil/core';
import { VigilMetricProducer, VigilMetricReader } from '@vigil/otel';
import { COMBOS, LABEL_NAMES, latencies, median } from './lib/data.mjs';
import { fmtMs, fmtRatio, verdict } from './lib/format.mjs';
import { otelMeter } from './lib/otel.mjs';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');

const BATCH = quick ? 200_000 : 1_000_000;
const WARMUP = quick ? 1 : 3;
const ROUNDS = quick ? 3 : 11;
const SERIES = 10_000;
const EXPORT_WARMUP = quick ? 1 : 3;
const EXPORT_ROUNDS = quick ? 3 : 9;
const SCRAPE_ROUNDS = quick ? 3 : 9;
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// Target of the issue: Vigil keeps a 10× lead on the recording hot path.
const HOT_MIN_RATIO = 10;

class ManualReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

function cpuTime(fn) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const sink = fn();
  const wall = Number(process.hrtime.bigint() - started);
  const { user, system } = process.cpuUsage(cpu);
  return { cpu: (user + system) * 1000, wall, sink };
}

// ---------------------------------------------------------------------------------------------
// 1. Hot path.

function hotPath() {
  const registry = new Registry();
  const producer = new VigilMetricProducer({ registry });
  const shipping = new MeterProvider({
    readers: [new ManualReader({ metricProducers: [producer] })],
  });
  const counter = registry.counter({ name: 'req_total', help: 'h', labelNames: LABEL_NAMES });
  const histogram = registry.histogram({
    name: 'req_seconds',
    help: 'h',
    labelNames: LABEL_NAMES,
    buckets: BOUNDS,
  });
  const sets = COMBOS.map(([method, route, status]) => ({ method, route, status }));
  const n = sets.length;
  const counterChildren = sets.map((labels) => counter.labels(labels));
  const histogramChildren = sets.map((labels) => histogram.labels(labels));
  const values = latencies(1024);
  const { meter } = otelMeter();
  const oCounter = meter.createCounter('req_total');
  const oHistogram = meter.createHistogram('req_seconds', {
    advice: { explicitBucketBoundaries: BOUNDS },
  });
  // Each loop written out on its own, so that no call site is shared between variants.
  const samples = {
    vigilInc: () => {
      for (let i = 0; i < BATCH; i++) counterChildren[i % n].inc();
      return BATCH;
    },
    otelAdd: () => {
      for (let i = 0; i < BATCH; i++) oCounter.add(1, sets[i % n]);
      return BATCH;
    },
    vigilObserve: () => {
      for (let i = 0; i < BATCH; i++) histogramChildren[i % n].observe(values[i & 1023]);
      return BATCH;
    },
    otelRecord: () => {
      for (let i = 0; i < BATCH; i++) oHistogram.record(values[i & 1023], sets[i % n]);
      return BATCH;
    },
  };
  const names = Object.keys(samples);
  for (let w = 0; w < WARMUP; w++) for (const name of names) samples[name]();
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = {};
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const { cpu, wall } = cpuTime(samples[name]);
      round[name] = { cpu: cpu / BATCH, wall: wall / BATCH };
    }
    rounds.push(round);
  }
  // Sanity: every inc reached the counter.
  const total = counterChildren.reduce((sum, _, k) => sum + counter.get(sets[k]), 0);
  if (total !== BATCH * (WARMUP + ROUNDS)) throw new Error(`vigil counted ${total}`);
  void shipping.shutdown();
  const of = (clock) => {
    const nsPerOp = Object.fromEntries(
      names.map((name) => [name, median(rounds.map((round) => round[name][clock]))]),
    );
    const ratio = (peer, vigil) =>
      median(rounds.map((round) => round[peer][clock] / round[vigil][clock]));
    return {
      nsPerOp,
      opsPerSecond: Object.fromEntries(names.map((name) => [name, 1e9 / nsPerOp[name]])),
      ratio: { inc: ratio('otelAdd', 'vigilInc'), observe: ratio('otelRecord', 'vigilObserve') },
    };
  };
  return { batch: BATCH, rounds: ROUNDS, labelSets: n, ...of('cpu'), wall: of('wall') };
}

// ---------------------------------------------------------------------------------------------
// 2. Export of 10,000 series.

function bigRegistry() {
  const registry = new Registry({ defaultLabels: { service: 'bench' } });
  const counter = registry.counter({
    name: 'c_total',
    help: 'h',
    labelNames: ['id'],
    maxSeries: SERIES,
  });
  const gauge = registry.gauge({ name: 'g', help: 'h', labelNames: ['id'], maxSeries: SERIES });
  const histogram = registry.histogram({
    name: 'h_seconds',
    help: 'h',
    labelNames: ['id'],
    buckets: BOUNDS,
    maxSeries: SERIES,
  });
  const summary = registry.summary({
    name: 's_seconds',
    help: 'h',
    labelNames: ['id'],
    maxAge: false,
    maxSeries: SERIES,
  });
  const values = latencies(20);
  for (let i = 0; i < 4_000; i++) counter.inc({ id: String(i) }, i);
  for (let i = 0; i < 2_000; i++) gauge.set({ id: String(i) }, i);
  for (let i = 0; i < 3_000; i++) {
    const child = histogram.labels({ id: String(i) });
    for (const v of values) child.observe(v);
  }
  for (let i = 0; i < 1_000; i++) {
    const child = summary.labels({ id: String(i) });
    for (const v of values) child.observe(v);
  }
  return registry;
}

function otelSeries() {
  const { meter, reader } = otelMeter();
  const counter = meter.createCounter('c');
  const gauge = meter.createGauge('g');
  const histogram = meter.createHistogram('h', { advice: { explicitBucketBoundaries: BOUNDS } });
  const values = latencies(20);
  for (let i = 0; i < 5_000; i++) counter.add(i, { id: String(i) });
  for (let i = 0; i < 2_000; i++) gauge.record(i, { id: String(i) });
  for (let i = 0; i < 3_000; i++) for (const v of values) histogram.record(v, { id: String(i) });
  return reader;
}

function protobufSerializer() {
  try {
    const require = createRequire(join(here, '..', '..', 'packages', 'otel', 'package.json'));
    return require('@opentelemetry/otlp-transformer').ProtobufMetricsSerializer;
  } catch {
    return undefined;
  }
}

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

async function exportPart() {
  const registry = bigRegistry();
  const producer = new VigilMetricProducer({ registry });
  const reader = new ManualReader({ metricProducers: [producer] });
  const provider = new MeterProvider({ readers: [reader] });
  const serializer = protobufSerializer();
  const nativeReader = otelSeries();
  const times = { producer: [], reader: [], protobuf: [], otelNative: [] };
  let bytes = 0;
  let points = 0;
  for (let r = 0; r < EXPORT_WARMUP + EXPORT_ROUNDS; r++) {
    const keep = r >= EXPORT_WARMUP;
    global.gc?.();
    const alone = await timed(() => producer.collect());
    global.gc?.();
    const collected = await timed(() => reader.collect());
    const { resourceMetrics } = collected.result;
    points = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .reduce((sum, metric) => sum + metric.dataPoints.length, 0);
    if (points !== SERIES) throw new Error(`exported ${points} points, expected ${SERIES}`);
    let encoded;
    if (serializer !== undefined) {
      global.gc?.();
      encoded = await timed(() => serializer.serializeRequest(resourceMetrics));
      bytes = encoded.result.length;
    }
    global.gc?.();
    const native = await timed(() => nativeReader.collect());
    if (!keep) continue;
    times.producer.push(alone.ms);
    times.reader.push(collected.ms);
    if (encoded !== undefined) times.protobuf.push(encoded.ms);
    times.otelNative.push(native.ms);
  }
  await provider.shutdown();
  const med = (list) => (list.length === 0 ? null : median(list));
  return {
    series: SERIES,
    points,
    rounds: EXPORT_ROUNDS,
    protobufBytes: serializer === undefined ? null : bytes,
    ms: {
      producer: med(times.producer),
      reader: med(times.reader),
      protobuf: med(times.protobuf),
      otelNative: med(times.otelNative),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Scrape of OpenTelemetry metrics through VigilMetricReader.

async function scrapePart() {
  const registry = new Registry();
  const reader = new VigilMetricReader({ registry, targetInfo: false });
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('bench');
  const histogram = meter.createHistogram('h', { advice: { explicitBucketBoundaries: BOUNDS } });
  const counter = meter.createCounter('c');
  const attributes = Array.from({ length: 1_000 }, (_, i) => ({ id: String(i) }));
  const values = latencies(10);
  const record = () => {
    for (const a of attributes) {
      for (const v of values) histogram.record(v, a);
      counter.add(1, a);
    }
  };
  const times = [];
  let size = 0;
  let last = '';
  for (let r = 0; r < SCRAPE_ROUNDS + 1; r++) {
    record();
    global.gc?.();
    const { ms, result } = await timed(() => registry.metrics());
    size = result.length;
    last = result;
    if (r > 0) times.push(ms);
  }
  // Sanity: the scrape serves the SDK's totals.
  const expected = `h_count{id="0",otel_scope_name="bench"} ${(SCRAPE_ROUNDS + 1) * values.length}\n`;
  if (!last.includes(expected)) throw new Error(`the scrape lacks ${expected.trim()}`);
  await provider.shutdown();
  return { series: 2_000, observationsPerScrape: 11_000, bytes: size, ms: median(times) };
}

async function main() {
  const require = createRequire(import.meta.url);
  const versions = {
    'sdk-metrics': require('@opentelemetry/sdk-metrics/package.json').version,
    node: process.versions.node,
  };
  const hot = hotPath();
  const exported = await exportPart();
  const scrape = await scrapePart();
  return { versions, hot, export: exported, scrape };
}

// ---------------------------------------------------------------------------------------------
// Report.

export function otelBridgeTargets(m) {
  const o = m.otelBridge;
  const h = o.hot;
  return [
    {
      name: 'OTel bridge: bound `child.inc()` vs the OTel SDK `counter.add(1, attributes)`',
      value: `${fmtRatio(h.ratio.inc)} (wall clock ${fmtRatio(h.wall.ratio.inc)})`,
      target: `≥ ${HOT_MIN_RATIO}×`,
      pass: h.ratio.inc >= HOT_MIN_RATIO,
    },
    {
      name: 'OTel bridge: bound `child.observe(v)` vs the OTel SDK `histogram.record(v, attributes)`',
      value: `${fmtRatio(h.ratio.observe)} (wall clock ${fmtRatio(h.wall.ratio.observe)})`,
      target: `≥ ${HOT_MIN_RATIO}×`,
      pass: h.ratio.observe >= HOT_MIN_RATIO,
    },
    {
      name: `OTel bridge: ${o.export.series.toLocaleString('en')} series, reader collect → ResourceMetrics (info)`,
      value: fmtMs(o.export.ms.reader),
      target: '—',
      pass: null,
      info: true,
    },
  ];
}

export function renderOtelBridge(m, range) {
  const o = m.otelBridge;
  const r = range?.otelBridge;
  const h = o.hot;
  const e = o.export;
  const spread = (path) => {
    const value = path.reduce((node, key) => node?.[key], r);
    return Array.isArray(value)
      ? ` (${value.map((v) => (v === null ? '—' : fmtMs(v))).join(' – ')})`
      : '';
  };
  const out = [];
  out.push('## OpenTelemetry bridge: `@vigil/otel`\n');
  out.push(
    `\`node --expose-gc src/otel-bridge.mjs\`; \`@opentelemetry/sdk-metrics\` ${o.versions['sdk-metrics']}. Recording: Vigil's bound children of a registry that a \`VigilMetricProducer\` ships (attached to a reader) against the SDK's instruments with attributes (the SDK has no bound instruments), over ${h.labelSets} label sets of 3 labels, ${h.batch.toLocaleString('en')} operations per sample, ${h.rounds} rounds alternating the variants; ns/op on CPU time, ratios the median of the rounds' ratios.\n`,
  );
  out.push(
    '| operation | Vigil ns/op | OTel SDK ns/op | Vigil ÷ OTel (ops/s) | wall clock |\n|---|---:|---:|---:|---:|',
  );
  out.push(
    `| counter: \`child.inc()\` vs \`counter.add(1, attrs)\` | ${h.nsPerOp.vigilInc.toFixed(1)} | ${h.nsPerOp.otelAdd.toFixed(1)} | ${fmtRatio(h.ratio.inc)} | ${fmtRatio(h.wall.ratio.inc)} |`,
  );
  out.push(
    `| histogram: \`child.observe(v)\` vs \`histogram.record(v, attrs)\` | ${h.nsPerOp.vigilObserve.toFixed(1)} | ${h.nsPerOp.otelRecord.toFixed(1)} | ${fmtRatio(h.ratio.observe)} | ${fmtRatio(h.wall.ratio.observe)} |`,
  );
  out.push('');
  out.push(
    `Export of ${e.series.toLocaleString('en')} series (4,000 counter, 2,000 gauge, 3,000 histogram, 1,000 summary), median of ${e.rounds} collections (min – max over runs):\n`,
  );
  out.push('| step | ms |\n|---|---:|');
  out.push(
    `| \`producer.collect()\`: snapshot → ResourceMetrics | ${fmtMs(e.ms.producer)}${spread(['export', 'ms', 'producer'])} |`,
  );
  out.push(
    `| \`reader.collect()\` with the producer (what an export starts with) | ${fmtMs(e.ms.reader)}${spread(['export', 'ms', 'reader'])} |`,
  );
  if (e.ms.protobuf !== null) {
    out.push(
      `| OTLP protobuf encoding (\`ProtobufMetricsSerializer\`, ${(e.protobufBytes / 1024).toFixed(0)} KB) | ${fmtMs(e.ms.protobuf)}${spread(['export', 'ms', 'protobuf'])} |`,
    );
  }
  out.push(
    `| info: the SDK collecting 10,000 series of its own instruments | ${fmtMs(e.ms.otelNative)}${spread(['export', 'ms', 'otelNative'])} |`,
  );
  out.push('');
  out.push(
    `Scrape (info): \`registry.metrics()\` serving ${o.scrape.series.toLocaleString('en')} OpenTelemetry series through \`VigilMetricReader\` (a registry collector; ${o.scrape.observationsPerScrape.toLocaleString('en')} new observations per scrape, the SDK's cumulative totals converted to metric snapshots): ${fmtMs(o.scrape.ms)}.\n`,
  );
  return out.join('\n');
}

export function renderOtelBridgeAlone(results) {
  const m = results.median;
  const mc = results.machine;
  const out = [
    `# Vigil benchmarks: OpenTelemetry bridge alone (${results.rounds} round${results.rounds > 1 ? 's' : ''}${results.quick ? ', QUICK mode' : ''}, ${Math.round(results.durationS)} s)\n`,
    `${mc.date}, Node ${mc.node}, ${mc.cpu} × ${mc.cores}, at ${mc.commit}\n`,
    '| target | Vigil | goal | result |\n|---|---:|---:|---|',
  ];
  for (const t of otelBridgeTargets(m, results.range)) {
    out.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.info ? 'info' : verdict(t.pass)} |`);
  }
  out.push('');
  out.push(renderOtelBridge(m, results.range));
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printJson(await main());
