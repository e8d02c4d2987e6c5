// @vigil/prom-client (prom-client's API on Vigil's core) against prom-client 15.1.3 itself, the
// library it replaces, through the same prom-client calls:
//
//  1. Recording: each path of CASES in a process of its own per library (so that one library's or
//     one case's type feedback never shapes another's optimised code): WARMUP calls, then CALLS
//     timed. ROUNDS rounds, the order of the two libraries alternating; ops/s is the median over
//     rounds, a ratio the median of the rounds' ratios. Target: every path ≥ 2× prom-client.
//  2. `registry.metrics()`: registries of 2 to 5,000 series (counters of 1–5,000 label sets, and
//     for the larger ones a histogram), the same values in both, in one process: after a warm-up,
//     RENDER_ROUNDS rounds time each library's back-to-back renders for RENDER_MS, the order
//     alternating; the mean render time per round, the median over rounds, and the median of the
//     rounds' ratios. Target: at least as fast as prom-client at every size (a tiny registry must
//     not get slower).
//
//   node src/prom-client-facade.mjs [--quick]         (everything; prints one JSON line)
//   node src/prom-client-facade.mjs record CASE vigil|prom [--quick]   (one timing, ops/s)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median } from './lib/data.mjs';
import { fmtMs, fmtOps, fmtRatio, verdict } from './lib/format.mjs';
import { printJson } from './lib/output.mjs';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const CALLS = quick ? 200_000 : 2_000_000;
const WARMUP = 200_000;
const RENDER_ROUNDS = quick ? 2 : 10;
const RENDER_MS = quick ? 40 : 150;
const SIZES = [2, 50, 500, 5_000];

/** The library under its prom-client name: the real one, or the facade. */
function library(which) {
  return which === 'vigil' ? require('@vigil/prom-client') : require('prom-client');
}

const CASES = {
  'counter.inc()': (p, r) => {
    const c = new p.Counter({ name: 'c', help: 'h', registers: [r] });
    return () => c.inc();
  },
  'counter.inc(labels)': (p, r) => {
    const c = new p.Counter({
      name: 'c',
      help: 'h',
      labelNames: ['method', 'status'],
      registers: [r],
    });
    const l = [
      { method: 'GET', status: '200' },
      { method: 'POST', status: '500' },
    ];
    let i = 0;
    return () => c.inc(l[i++ & 1]);
  },
  'counter.labels(v).inc()': (p, r) => {
    const c = new p.Counter({ name: 'c', help: 'h', labelNames: ['method'], registers: [r] });
    return () => c.labels('GET').inc();
  },
  'counter child.inc()': (p, r) => {
    const c = new p.Counter({ name: 'c', help: 'h', labelNames: ['method'], registers: [r] });
    const child = c.labels('GET');
    return () => child.inc();
  },
  'gauge.inc()': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', registers: [r] });
    return () => g.inc();
  },
  'gauge.dec()': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', registers: [r] });
    return () => g.dec();
  },
  'gauge.set(v)': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', registers: [r] });
    let i = 0;
    return () => g.set(i++);
  },
  'gauge.inc(labels)': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', labelNames: ['q'], registers: [r] });
    const l = { q: 'a' };
    return () => g.inc(l);
  },
  'gauge.setToCurrentTime()': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', registers: [r] });
    return () => g.setToCurrentTime();
  },
  'gauge.set(labels, v)': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', labelNames: ['q'], registers: [r] });
    const l = { q: 'a' };
    let i = 0;
    return () => g.set(l, i++);
  },
  'histogram.observe(v)': (p, r) => {
    const h = new p.Histogram({ name: 'h', help: 'h', registers: [r] });
    let i = 0;
    return () => h.observe((i++ % 1000) / 100);
  },
  'histogram.observe(labels, v)': (p, r) => {
    const h = new p.Histogram({ name: 'h', help: 'h', labelNames: ['route'], registers: [r] });
    const l = { route: '/a' };
    let i = 0;
    return () => h.observe(l, (i++ % 1000) / 100);
  },
  'histogram child.observe(v)': (p, r) => {
    const h = new p.Histogram({ name: 'h', help: 'h', labelNames: ['route'], registers: [r] });
    const child = h.labels('/a');
    let i = 0;
    return () => child.observe((i++ % 1000) / 100);
  },
  'histogram.startTimer()()': (p, r) => {
    const h = new p.Histogram({ name: 'h', help: 'h', registers: [r] });
    return () => h.startTimer()();
  },
  'summary.observe(v)': (p, r) => {
    const s = new p.Summary({ name: 's', help: 'h', registers: [r] });
    let i = 0;
    return () => s.observe((i++ % 1000) / 100);
  },
  'summary.observe(labels, v)': (p, r) => {
    const s = new p.Summary({ name: 's', help: 'h', labelNames: ['route'], registers: [r] });
    const l = { route: '/a' };
    let i = 0;
    return () => s.observe(l, (i++ % 1000) / 100);
  },
  'summary child.observe(v)': (p, r) => {
    const s = new p.Summary({ name: 's', help: 'h', labelNames: ['route'], registers: [r] });
    const child = s.labels('/a');
    let i = 0;
    return () => child.observe((i++ % 1000) / 100);
  },
  'summary.startTimer()()': (p, r) => {
    const s = new p.Summary({ name: 's', help: 'h', registers: [r] });
    return () => s.startTimer()();
  },
  'counter.inc({ labels, value, exemplarLabels })': (p) => {
    const r = new p.Registry(p.openMetricsContentType);
    const c = new p.Counter({
      name: 'c',
      help: 'h',
      labelNames: ['method'],
      enableExemplars: true,
      registers: [r],
    });
    const data = { labels: { method: 'GET' }, value: 1, exemplarLabels: { traceId: 'abc' } };
    return () => c.inc(data);
  },
  'histogram.observe({ labels, value, exemplarLabels })': (p) => {
    const r = new p.Registry(p.openMetricsContentType);
    const h = new p.Histogram({
      name: 'h',
      help: 'h',
      labelNames: ['route'],
      enableExemplars: true,
      registers: [r],
    });
    let i = 0;
    const data = { labels: { route: '/a' }, value: 0, exemplarLabels: { traceId: 'abc' } };
    return () => {
      data.value = (i++ % 1000) / 100;
      h.observe(data);
    };
  },
};

/**
 * The least any implementation can cost in this loop, for the paths that are little more than
 * it: a method that only adds 1 to an integer field (what prom-client's unlabelled counter
 * stores: `hashMap[''].value += value`, a small integer while increments are), one that adds 1 to
 * a Float64Array slot (how Vigil's core stores every series: back-to-back increments of one value
 * are a chain of dependent load-add-stores, and a double's add is slower than a small
 * integer's), and the clock reads a timer (two `process.hrtime()`) and `setToCurrentTime()`
 * (`Date.now() / 1000`) make, as in prom-client. `bounds` names the paths each floor bounds.
 */
const FLOORS = {
  'integer field += 1': {
    bounds: ['counter.inc()'],
    make: () => {
      const o = {
        value: 0,
        inc(v) {
          this.value += v === undefined ? 1 : v;
        },
      };
      return () => o.inc();
    },
  },
  'Float64Array slot += 1': {
    bounds: ['counter.inc()', 'gauge.inc()', 'gauge.dec()'],
    make: () => {
      const o = {
        values: new Float64Array(8),
        id: 0,
        inc(v) {
          this.values[this.id] += v === undefined ? 1 : v;
        },
      };
      return () => o.inc();
    },
  },
  'two process.hrtime() reads, as a timer takes them': {
    bounds: ['histogram.startTimer()()', 'summary.startTimer()()'],
    make: () => {
      const values = new Float64Array(8);
      return () => {
        const start = process.hrtime();
        const delta = process.hrtime(start);
        values[0] = delta[0] + delta[1] / 1e9;
      };
    },
  },
  'Date.now() / 1000 into a Float64Array slot': {
    bounds: ['gauge.setToCurrentTime()'],
    make: () => {
      const values = new Float64Array(8);
      return () => {
        values[0] = Date.now() / 1000;
      };
    },
  },
};

/** ops/s of one case and library (or, `which` = 'floor', of one of FLOORS), in this process. */
function record(name, which) {
  const p = which === 'floor' ? undefined : library(which);
  const call = which === 'floor' ? FLOORS[name].make() : CASES[name](p, new p.Registry());
  const calls = name.startsWith('summary') ? CALLS / 4 : CALLS;
  for (let i = 0; i < WARMUP; i++) call();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) call();
  return calls / (Number(process.hrtime.bigint() - start) / 1e9);
}

function recordInChild(name, which) {
  const args = [
    fileURLToPath(import.meta.url),
    'record',
    name,
    which,
    ...(quick ? ['--quick'] : []),
  ];
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim());
}

function recording() {
  const out = {};
  for (const name of Object.keys(CASES)) {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['vigil', 'prom'] : ['prom', 'vigil'];
      const r = {};
      for (const which of order) r[which] = recordInChild(name, which);
      rounds.push(r);
    }
    out[name] = {
      vigil: median(rounds.map((r) => r.vigil)),
      prom: median(rounds.map((r) => r.prom)),
      ratio: median(rounds.map((r) => r.vigil / r.prom)),
    };
  }
  return out;
}

/** ops/s of each of FLOORS, median over ROUNDS processes. */
function floors() {
  const out = {};
  for (const name of Object.keys(FLOORS)) {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(recordInChild(name, 'floor'));
    out[name] = median(rounds);
  }
  return out;
}

/** A registry of `series` series: counters of up to 1,000 label sets, and a histogram. */
function fill(p, series) {
  const registry = new p.Registry();
  const counter = new p.Counter({
    name: 'requests_total',
    help: 'Requests.',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const histogram = new p.Histogram({
    name: 'latency_seconds',
    help: 'Latency.',
    labelNames: ['route'],
    buckets: [0.01, 0.1, 1],
    registers: [registry],
  });
  // A histogram series renders 6 samples; the rest are counter series.
  const histograms = series >= 50 ? Math.floor(series / 10) : 0;
  for (let i = 0; i < series - histograms; i++) {
    counter.inc({ route: `/r${i % 1000}`, status: String(200 + Math.floor(i / 1000)) }, i);
  }
  for (let i = 0; i < histograms; i++) histogram.observe({ route: `/h${i}` }, (i % 100) / 50);
  return registry;
}

async function meanRender(registry) {
  const start = performance.now();
  let renders = 0;
  while (performance.now() - start < RENDER_MS) {
    await registry.metrics();
    renders++;
  }
  return (performance.now() - start) / renders;
}

async function rendering() {
  const out = {};
  for (const series of SIZES) {
    const registries = {
      vigil: fill(library('vigil'), series),
      prom: fill(library('prom'), series),
    };
    const texts = {};
    for (const which of ['vigil', 'prom']) texts[which] = await registries[which].metrics();
    if (texts.vigil.length !== texts.prom.length) {
      throw new Error(`${series} series: the two expositions differ in length`);
    }
    for (const which of ['vigil', 'prom']) await meanRender(registries[which]);
    const rounds = [];
    for (let round = 0; round < RENDER_ROUNDS; round++) {
      const order = round % 2 === 0 ? ['vigil', 'prom'] : ['prom', 'vigil'];
      const r = {};
      for (const which of order) r[which] = await meanRender(registries[which]);
      rounds.push(r);
    }
    out[series] = {
      vigilMs: median(rounds.map((r) => r.vigil)),
      promMs: median(rounds.map((r) => r.prom)),
      ratio: median(rounds.map((r) => r.prom / r.vigil)),
    };
  }
  return out;
}

/** Targets of this part, on the medians. */
export function promClientFacadeTargets(m) {
  const f = m.promClientFacade;
  if (f === undefined) return [];
  const targets = Object.entries(f.recording).map(([name, r]) => ({
    name: `@vigil/prom-client \`${name}\` vs prom-client 15`,
    value: fmtRatio(r.ratio),
    target: '≥ 2×',
    pass: r.ratio >= 2,
  }));
  for (const [series, r] of Object.entries(f.rendering)) {
    targets.push({
      name: `@vigil/prom-client \`metrics()\`, ${series} series, vs prom-client 15`,
      value: `${fmtRatio(r.ratio)} (${fmtMs(r.vigilMs)} vs ${fmtMs(r.promMs)})`,
      target: '≥ 1×',
      pass: r.ratio >= 1,
    });
  }
  return targets;
}

/** The part's section of RESULTS.md. */
export function renderPromClientFacade(m) {
  const f = m.promClientFacade;
  const lines = [
    '## @vigil/prom-client against prom-client 15\n',
    "The same prom-client calls against the facade (`@vigil/prom-client`) and prom-client 15.1.3. Recording: each path in a fresh process per library, 2,000,000 calls (summaries 500,000) after 200,000 of warm-up, 5 rounds alternating the order; medians, the ratio the median of the rounds' ratios. `metrics()`: the same registry content in both (counters, and a histogram from 50 series up; both expositions checked to be the same length), 10 rounds of 150 ms of back-to-back renders each, alternating.\n",
    '| path | @vigil/prom-client | prom-client | ratio | ≥ 2× |',
    '|---|---:|---:|---:|---|',
  ];
  for (const [name, r] of Object.entries(f.recording)) {
    lines.push(
      `| \`${name}\` | ${fmtOps(r.vigil)}/s | ${fmtOps(r.prom)}/s | ${fmtRatio(r.ratio)} | ${verdict(r.ratio >= 2)} |`,
    );
  }
  if (f.floors !== undefined) {
    lines.push(
      '',
      "Floors (info): the same loop around code that does nothing but the path's core work, and what 2× prom-client would need on the paths each bounds.",
      '',
      '| floor | ops/s | bounds | 2× prom-client would be |',
      '|---|---:|---|---|',
    );
    for (const [name, ops] of Object.entries(f.floors)) {
      const paths = FLOORS[name]?.bounds ?? [];
      const needed = paths
        .filter((path) => f.recording[path] !== undefined)
        .map((path) => `\`${path}\` ${fmtOps(2 * f.recording[path].prom)}/s`)
        .join(', ');
      lines.push(
        `| ${name} | ${fmtOps(ops)}/s | ${paths.map((path) => `\`${path}\``).join(', ')} | ${needed} |`,
      );
    }
  }
  lines.push(
    '',
    '| `metrics()` | @vigil/prom-client | prom-client | prom-client ÷ facade | ≥ 1× |',
  );
  lines.push('|---|---:|---:|---:|---|');
  for (const [series, r] of Object.entries(f.rendering)) {
    lines.push(
      `| ${series} series | ${fmtMs(r.vigilMs)} | ${fmtMs(r.promMs)} | ${fmtRatio(r.ratio)} | ${verdict(r.ratio >= 1)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The section alone, for `run.mjs --only=promClientFacade`. */
export function renderPromClientFacadeAlone(results) {
  return renderPromClientFacade(results.median);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (argv[0] === 'record') {
    process.stdout.write(String(record(argv[1], argv[2])));
  } else {
    printJson({ recording: recording(), floors: floors(), rendering: await rendering() });
  }
}
