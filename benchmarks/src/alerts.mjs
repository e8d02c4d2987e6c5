// @vigil/alerts: one evaluation cycle of Prometheus alerting rules in-process, an absolute target
// (no peer: Prometheus is not an embeddable JS library). The figure: one cycle of 1,000
// rules over 10,000 series (thresholds, rate ratios, histogram_quantile, aggregations) in at most
// 50 ms; the heap that 24 h of 15 s history holds; how the cycle grows with series and rules.
//
// History: a `MemorySeries` filled in time order, one point per series every 15 s (as the
// engine's sampler appends), timestamps from 2025-01-01T00:00:00Z, every value a number (no stale
// markers), each series appended with the same label object every time. The series, at 10,000:
//   http_requests_total{service,route,code}            500 service/route pairs × 2 codes  1,000
//   http_request_duration_seconds_bucket{service,route,le}   500 pairs × 12 buckets       6,000
//   queue_length{queue}                                                                     500
//   cpu_usage_ratio{instance}                                                               500
//   disk_free_ratio{instance,mount}                     500 instances × 3 mounts         1,500
//   jobs_total{type,outcome}                            100 types × 5 outcomes              500
// Smaller sizes take the same fraction of every family. Values are seeded (mulberry32) and mostly
// healthy: a handful of pairs, queues, instances, disks and job types are bad, so few rules fire.
//
// Rules: per 1,000, 250 error-rate ratios and 250 p99s (each of its own service/route pair), 130
// queue thresholds, 130 `avg_over_time` CPU thresholds, 120 disk thresholds, 100 job failure
// ratios (each of its own queue / instance / disk / type), and 20 (2 %) wide rules over a whole
// metric; fewer rules take the same fraction of each kind. Where a size has fewer slices than
// rules of a kind (1,000 series), rules share slices with a different threshold each (as warning
// and critical rules do). Each rule: `new AlertingRule({ name, expr: parsePromql(text),
// holdDuration: 0, keepFiringFor: 0, labels: {}, annotations: {} })`.
//
// A cycle: `rule.evaluate(now, { source, cache })` for every rule in order, `cache` a new `Map`
// per cycle shared by its rules, `now` the last sample's time. 3 warm-up cycles, `gc()`, then 15
// timed (`performance.now()` around the whole cycle); median, min and max. After them: a pass of
// 15 cycles timing each rule on its own (time by kind and per wide rule, for information), and
// each rule's expression without its threshold evaluated once, to check that it returns series.
//
//   node --expose-gc src/alerts.mjs [--quick]            (everything; prints one JSON line)
//   node --expose-gc src/alerts.mjs cycle <series>       (one series size × 100, 500, 1,000 rules)
//   node --expose-gc src/alerts.mjs heap <hours>         (the heap of <hours> of history, 10,000
//                                                         series, and the 1,000-rule cycle on it)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AlertingRule, evaluate, MemorySeries, parsePromql } from '@vigil/alerts';
import { prng } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const quick = process.argv.includes('--quick');
const STEP = 15_000;
const START = Date.UTC(2025, 0, 1);
const HISTORY_HOURS = 1;
const POINTS_PER_HOUR = 3_600_000 / STEP;
const FULL_SERIES = 10_000;
const FULL_RULES = 1_000;
const SERIES_SIZES = [1_000, 5_000, 10_000];
const RULE_COUNTS = [100, 500, 1_000];
const WARMUP = quick ? 1 : 3;
const CYCLES = quick ? 5 : 15;
const HEAP_HOURS = quick ? 2 : 24;
/** The 24 h load stops at an hour boundary past these, and the heap is extrapolated. */
const LOAD_LIMIT_S = 180;
const HEAP_LIMIT_BYTES = 8e9;

const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
// Cumulative share of requests at or under each bucket: p99 ≈ 0.4 s (fast), ≈ 0.95 s (normal),
// ≈ 10 s (slow, the few bad pairs).
const LATENCY = {
  fast: [0.05, 0.15, 0.4, 0.7, 0.88, 0.97, 0.992, 0.998, 1, 1, 1, 1],
  normal: [0.01, 0.03, 0.12, 0.35, 0.62, 0.86, 0.96, 0.993, 0.999, 1, 1, 1],
  slow: [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.85, 0.95, 0.99, 1],
};
const MOUNTS = ['/', '/data', '/var/log'];
const OUTCOMES = ['completed', 'failed', 'retried', 'dead_lettered', 'timed_out'];
const SHARES = {
  healthy: [0.968, 0.01, 0.015, 0.004, 0.003],
  bad: [0.35, 0.6, 0.04, 0.005, 0.005],
};
const SERVICES = 20;

/** How many of each family a size holds (sizes are multiples of 1,000). */
function families(size) {
  const f = size / FULL_SERIES;
  return {
    pairs: 500 * f,
    queues: 500 * f,
    instances: 500 * f,
    types: 100 * f,
  };
}

const service = (p) => `svc-${p % SERVICES}`;
const route = (p) => `/api/r${Math.floor(p / SERVICES)}`;

/**
 * The series of a size: their label objects (kept and reused for every append) and `tick(out)`,
 * which writes every series' value at the next step into `out` (counters accumulate).
 */
function buildSeries(size) {
  const { pairs, queues, instances, types } = families(size);
  const random = prng(42);
  const labels = [];
  const tickers = [];

  for (let p = 0; p < pairs; p++) {
    const s = service(p);
    const r = route(p);
    const base = labels.length;
    labels.push({ __name__: 'http_requests_total', service: s, route: r, code: '200' });
    labels.push({ __name__: 'http_requests_total', service: s, route: r, code: '500' });
    for (const le of LES) {
      labels.push({ __name__: 'http_request_duration_seconds_bucket', service: s, route: r, le });
    }
    const rps = 1 + 49 * random();
    const errors = p % 83 === 41 ? 0.12 : 0.001 + 0.004 * random();
    const shape = p % 97 === 13 ? LATENCY.slow : random() < 0.5 ? LATENCY.fast : LATENCY.normal;
    let ok = 0;
    let failed = 0;
    let total = 0;
    tickers.push((out) => {
      const n = rps * 15 * (0.8 + 0.4 * random());
      ok += Math.round(n * (1 - errors));
      failed += Math.round(n * errors);
      total += Math.round(n);
      out[base] = ok;
      out[base + 1] = failed;
      for (let b = 0; b < LES.length; b++) out[base + 2 + b] = Math.round(total * shape[b]);
    });
  }

  for (let q = 0; q < queues; q++) {
    const at = labels.length;
    labels.push({ __name__: 'queue_length', queue: `queue-${q}` });
    const bad = q % 167 === 5;
    const level = 5 + 40 * random();
    let i = 0;
    tickers.push((out) => {
      i++;
      const swing = 10 * Math.sin(i / 20 + q) + 5 * random();
      out[at] = Math.max(0, Math.round((bad ? 3_000 : level) + swing));
    });
  }

  for (let n = 0; n < instances; n++) {
    const at = labels.length;
    labels.push({ __name__: 'cpu_usage_ratio', instance: `host-${n}` });
    const level = n % 211 === 7 ? 0.93 : 0.2 + 0.4 * random();
    tickers.push((out) => {
      out[at] = Math.min(1, level + 0.05 * random());
    });
  }
  for (let n = 0; n < instances; n++) {
    for (const mount of MOUNTS) {
      const at = labels.length;
      labels.push({ __name__: 'disk_free_ratio', instance: `host-${n}`, mount });
      const level = n % 229 === 11 && mount === '/data' ? 0.04 : 0.3 + 0.6 * random();
      tickers.push((out) => {
        out[at] = Math.max(0, level - 0.001 * random());
      });
    }
  }

  for (let t = 0; t < types; t++) {
    const base = labels.length;
    for (const outcome of OUTCOMES) {
      labels.push({ __name__: 'jobs_total', type: `job-${t}`, outcome });
    }
    const share = t % 37 === 3 ? SHARES.bad : SHARES.healthy;
    const perSecond = 2 + 20 * random();
    const counts = new Float64Array(OUTCOMES.length);
    tickers.push((out) => {
      const n = perSecond * 15 * (0.8 + 0.4 * random());
      for (let o = 0; o < OUTCOMES.length; o++) {
        counts[o] += Math.round(n * share[o]);
        out[base + o] = counts[o];
      }
    });
  }

  if (labels.length !== size) throw new Error(`${size} series wanted, ${labels.length} built`);
  const tick = (out) => {
    for (const t of tickers) t(out);
  };
  return { labels, tick };
}

/**
 * Appends `points` steps of every series into `source`, in time order; `check(step)` after each
 * hour, answering true stops the load. Answers the steps appended.
 */
function load(source, series, points, check = () => false) {
  const values = new Float64Array(series.labels.length);
  const { labels, tick } = series;
  for (let i = 0; i < points; i++) {
    tick(values);
    const t = START + i * STEP;
    for (let k = 0; k < labels.length; k++) source.append(labels[k], t, values[k]);
    if ((i + 1) % POINTS_PER_HOUR === 0 && i + 1 < points && check(i + 1)) return i + 1;
  }
  return points;
}

/** The i-th of `count` rules over `available` slices: its slice, and how many share it before. */
function slice(i, count, available) {
  if (count <= available) return { at: Math.floor((i * available) / count), round: 0 };
  return { at: i % available, round: Math.floor(i / available) };
}

// The wide rules, over a whole metric (the first 2 % of a rule count are taken).
const WIDE = [
  [
    'sum by (service) (rate(http_requests_total{code="500"}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
    '> 0.05',
  ],
  [
    'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
    '> 2',
  ],
  ['sum(queue_length)', '> 100000'],
  ['avg(avg_over_time(cpu_usage_ratio[10m]))', '> 0.8'],
  ['count(disk_free_ratio < 0.05)', '> 10'],
  ['sum(rate(jobs_total{outcome="dead_lettered"}[5m])) / sum(rate(jobs_total[5m]))', '> 0.01'],
  ['sum by (service) (rate(http_requests_total[5m]))', '< 1'],
  [
    'histogram_quantile(0.5, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
    '> 0.5',
  ],
  ['topk(5, queue_length)', '> 5000'],
  ['sum by (route) (rate(http_requests_total{code="500"}[5m]))', '> 50'],
  ['quantile(0.9, cpu_usage_ratio)', '> 0.9'],
  ['min by (mount) (disk_free_ratio)', '< 0.01'],
  ['sum by (service) (increase(http_requests_total{code="500"}[1h]))', '> 50000'],
  ['max_over_time(queue_length[15m])', '> 10000'],
  ['sum by (type) (rate(jobs_total{outcome="timed_out"}[5m]))', '> 1'],
  [
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    '> 1.5',
  ],
  ['sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m]))', '> 0.02'],
  ['stddev(cpu_usage_ratio)', '> 0.3'],
  ['max by (service) (rate(http_requests_total{code="500"}[5m]))', '> 10'],
  ['avg by (mount) (disk_free_ratio)', '< 0.2'],
];

/** The rule kinds: their share of 1,000 rules, and the i-th rule's expression and threshold. */
const KINDS = [
  {
    kind: 'errorRatio',
    per1000: 250,
    slices: (f) => f.pairs,
    rule: (p, round) => [
      `sum(rate(http_requests_total{service="${service(p)}",route="${route(p)}",code="500"}[5m])) / sum(rate(http_requests_total{service="${service(p)}",route="${route(p)}"}[5m]))`,
      `> ${0.05 + 0.05 * round}`,
    ],
  },
  {
    kind: 'latencyP99',
    per1000: 250,
    slices: (f) => f.pairs,
    rule: (p, round) => [
      `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="${service(p)}",route="${route(p)}"}[5m])))`,
      `> ${1 + round}`,
    ],
  },
  {
    kind: 'queueThreshold',
    per1000: 130,
    slices: (f) => f.queues,
    rule: (q, round) => [`queue_length{queue="queue-${q}"}`, `> ${1000 * (round + 1)}`],
  },
  {
    kind: 'cpuAvgOverTime',
    per1000: 130,
    slices: (f) => f.instances,
    rule: (n, round) => [
      `avg_over_time(cpu_usage_ratio{instance="host-${n}"}[5m])`,
      `> ${0.85 + 0.05 * round}`,
    ],
  },
  {
    kind: 'diskThreshold',
    per1000: 120,
    slices: (f) => f.instances * MOUNTS.length,
    rule: (d, round) => [
      `disk_free_ratio{instance="host-${Math.floor(d / MOUNTS.length)}",mount="${MOUNTS[d % MOUNTS.length]}"}`,
      `< ${0.1 - 0.02 * round}`,
    ],
  },
  {
    kind: 'jobFailureRatio',
    per1000: 100,
    slices: (f) => f.types,
    rule: (t, round) => [
      `sum by (type) (rate(jobs_total{type="job-${t}",outcome="failed"}[5m])) / sum by (type) (rate(jobs_total{type="job-${t}"}[5m]))`,
      `> ${0.5 + 0.1 * round}`,
    ],
  },
  {
    kind: 'wide',
    per1000: 20,
    slices: () => WIDE.length,
    rule: (w) => WIDE[w],
  },
];

/** `count` rules over the series of `size`: [{ kind, text, lhs }]. */
function ruleTexts(size, count) {
  const f = families(size);
  const out = [];
  for (const k of KINDS) {
    const n = (k.per1000 * count) / FULL_RULES;
    for (let i = 0; i < n; i++) {
      const { at, round } = slice(i, n, k.slices(f));
      const [lhs, threshold] = k.rule(at, round);
      out.push({ kind: k.kind, lhs, text: `${lhs} ${threshold}` });
    }
  }
  if (out.length !== count) throw new Error(`${count} rules wanted, ${out.length} built`);
  if (new Set(out.map((r) => r.text)).size !== count) throw new Error('rules not distinct');
  return out;
}

function buildRules(texts) {
  return texts.map(
    ({ text }, i) =>
      new AlertingRule({
        name: `Rule${i}`,
        expr: parsePromql(text),
        holdDuration: 0,
        keepFiringFor: 0,
        labels: {},
        annotations: {},
      }),
  );
}

function collect() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  for (let i = 0; i < 4; i++) global.gc();
}

/**
 * The rules whose expression without its threshold returns at least one series at `now` (a
 * selector matching nothing would make a cycle cheap and the figure meaningless).
 */
function rulesWithData(source, texts, now) {
  let n = 0;
  for (const { lhs } of texts) {
    const value = evaluate(parsePromql(lhs), now, { source });
    if (value.type === 'scalar' || (value.type === 'vector' && value.samples.length > 0)) n++;
  }
  return n;
}

/** Warm-up, then the timed cycles; the alerts held after, by kind. */
function timeCycles(source, texts, now) {
  const rules = buildRules(texts);
  const cycle = () => {
    const context = { source, cache: new Map() };
    const started = performance.now();
    for (const rule of rules) rule.evaluate(now, context);
    return performance.now() - started;
  };
  for (let i = 0; i < WARMUP; i++) cycle();
  collect();
  const times = [];
  for (let i = 0; i < CYCLES; i++) times.push(cycle());
  times.sort((a, b) => a - b);
  const alerts = {};
  let total = 0;
  rules.forEach((rule, i) => {
    const n = rule.alerts().filter((a) => a.state === 'firing').length;
    total += n;
    alerts[texts[i].kind] = (alerts[texts[i].kind] ?? 0) + n;
  });
  // Then (not in the figures above) the same cycles with each rule timed: the time by kind.
  const perRule = new Float64Array(rules.length);
  for (let c = 0; c < CYCLES; c++) {
    const context = { source, cache: new Map() };
    for (let i = 0; i < rules.length; i++) {
      const started = performance.now();
      rules[i].evaluate(now, context);
      perRule[i] += performance.now() - started;
    }
  }
  const byKindMs = {};
  texts.forEach(({ kind }, i) => {
    byKindMs[kind] = (byKindMs[kind] ?? 0) + perRule[i] / CYCLES;
  });
  return {
    medianMs: times[times.length >> 1],
    minMs: times[0],
    maxMs: times[times.length - 1],
    firing: total,
    firingByKind: alerts,
    byKindMs,
    // Each wide rule's own time, in the order of WIDE (all of them at 1,000 rules).
    wideMs: texts.flatMap(({ kind }, i) => (kind === 'wide' ? [perRule[i] / CYCLES] : [])),
  };
}

const heapUsed = () => process.memoryUsage().heapUsed;

/** One series size: 1 h of history, the cycle at 100, 500 and 1,000 rules. */
function cyclePart(size) {
  collect();
  const before = heapUsed();
  const series = buildSeries(size);
  const source = new MemorySeries();
  const points = HISTORY_HOURS * POINTS_PER_HOUR;
  const started = performance.now();
  load(source, series, points);
  const loadS = (performance.now() - started) / 1000;
  collect();
  const heapBytes = heapUsed() - before;
  const now = START + (points - 1) * STEP;
  const cells = {};
  for (const count of RULE_COUNTS) {
    const texts = ruleTexts(size, count);
    cells[count] = {
      ...timeCycles(source, texts, now),
      rulesWithData: rulesWithData(source, texts, now),
    };
  }
  return {
    series: size,
    points: size * points,
    loadS,
    heapBytes,
    bytesPerPoint: heapBytes / (size * points),
    cells,
  };
}

/** 10,000 series × `hours` of history: the heap it holds, and the 1,000-rule cycle on it. */
function heapPart(hours) {
  const points = hours * POINTS_PER_HOUR;
  collect();
  const before = heapUsed();
  const series = buildSeries(FULL_SERIES);
  const source = new MemorySeries();
  const started = performance.now();
  let stoppedBy = null;
  const loaded = load(source, series, points, (step) => {
    const s = (performance.now() - started) / 1000;
    if (s > LOAD_LIMIT_S)
      stoppedBy = `load time ${s.toFixed(0)} s after ${step / POINTS_PER_HOUR} h`;
    else if (heapUsed() > HEAP_LIMIT_BYTES)
      stoppedBy = `heap over 8 GB after ${step / POINTS_PER_HOUR} h`;
    return stoppedBy !== null;
  });
  const loadS = (performance.now() - started) / 1000;
  collect();
  const heapBytes = heapUsed() - before;
  const loadedPoints = FULL_SERIES * loaded;
  const bytesPerPoint = heapBytes / loadedPoints;
  const now = START + (loaded - 1) * STEP;
  const texts = ruleTexts(FULL_SERIES, FULL_RULES);
  return {
    hours,
    loadedHours: loaded / POINTS_PER_HOUR,
    extrapolated: stoppedBy !== null,
    stoppedBy,
    series: FULL_SERIES,
    points: FULL_SERIES * points,
    loadedPoints,
    loadS,
    heapBytes,
    bytesPerPoint,
    // The heap at `hours`: measured, or (if the load stopped) bytes per point × every point.
    heapBytesAtHours: stoppedBy === null ? heapBytes : bytesPerPoint * FULL_SERIES * points,
    heapTotalBytes: process.memoryUsage().heapTotal,
    rssBytes: process.memoryUsage().rss,
    cycle: { ...timeCycles(source, texts, now), rulesWithData: rulesWithData(source, texts, now) },
  };
}

/** Runs this file with `args` in a fresh process and parses the JSON line it prints last. */
function child(args, flags = []) {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      ...flags,
      fileURLToPath(import.meta.url),
      ...args,
      ...(quick ? ['--quick'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function main() {
  const sizes = {};
  for (const size of SERIES_SIZES) {
    process.stderr.write(`alerts: ${size} series, 1 h of history, ${RULE_COUNTS} rules\n`);
    sizes[size] = child(['cycle', String(size)]);
  }
  process.stderr.write(`alerts: heap of ${HEAP_HOURS} h of history, 10,000 series\n`);
  const heap = child(['heap', String(HEAP_HOURS)], ['--max-old-space-size=12288']);
  const full = sizes[FULL_SERIES];
  const target = full.cells[FULL_RULES];
  const mix = {};
  for (const { kind } of ruleTexts(FULL_SERIES, FULL_RULES)) mix[kind] = (mix[kind] ?? 0) + 1;
  return {
    stepS: STEP / 1000,
    historyHours: HISTORY_HOURS,
    pointsPerSeries: HISTORY_HOURS * POINTS_PER_HOUR,
    warmup: WARMUP,
    cycles: CYCLES,
    series: FULL_SERIES,
    rules: FULL_RULES,
    mix,
    examples: Object.fromEntries(KINDS.map((k) => [k.kind, k.rule(0, 0).join(' ')])),
    // Every wide rule, and the smallest rule count whose mix holds it.
    wide: WIDE.map((w) => {
      const text = w.join(' ');
      const from = RULE_COUNTS.find((n) =>
        ruleTexts(FULL_SERIES, n).some((rule) => rule.text === text),
      );
      return { text, from };
    }),
    target,
    heap1h: {
      series: full.series,
      points: full.points,
      heapBytes: full.heapBytes,
      bytesPerPoint: full.bytesPerPoint,
      loadS: full.loadS,
    },
    growth: {
      series: SERIES_SIZES,
      rules: RULE_COUNTS,
      medianMs: SERIES_SIZES.map((s) => RULE_COUNTS.map((r) => sizes[s].cells[r].medianMs)),
      firing: SERIES_SIZES.map((s) => RULE_COUNTS.map((r) => sizes[s].cells[r].firing)),
      rulesWithData: SERIES_SIZES.map((s) =>
        RULE_COUNTS.map((r) => sizes[s].cells[r].rulesWithData),
      ),
    },
    heap24h: heap,
  };
}

const [mode, arg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (mode === 'cycle') printJson(cyclePart(Number(arg)));
else if (mode === 'heap') printJson(heapPart(Number(arg)));
else printJson(main());
