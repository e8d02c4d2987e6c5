// Renders results.json (medians over rounds) as benchmarks/RESULTS.md.

import { cacheTargets, renderCache } from '../cache.mjs';
import { renderCacheL2 } from '../cache-l2.mjs';
import { notifierTargets, renderNotifier } from '../notifier.mjs';
import { otelBridgeTargets, renderOtelBridge } from '../otel-bridge.mjs';
import { promClientFacadeTargets, renderPromClientFacade } from '../prom-client-facade.mjs';
import { promAggregateTargets, renderPromAggregate } from '../prometheus-aggregate.mjs';
import { fmtBytes, fmtMs, fmtOps, fmtPct, fmtRatio, verdict } from './format.mjs';
import { alertsTargets, renderAlerts } from './report-alerts.mjs';
import { httpTargets, renderHttp } from './report-http.mjs';
import { jobsBullmqTargets, jobsTargets, renderJobs, renderJobsBullmq } from './report-jobs.mjs';
import { renderResilience, resilienceTargets } from './report-resilience.mjs';
import { renderStorage, storageTargets } from './report-storage.mjs';

/** Every target of the issue, evaluated on the medians. */
export function targets(m, range) {
  const h = m.hotPaths;
  const t = [];
  const atLeast = (name, value, min) =>
    t.push({ name, value: fmtRatio(value), target: `≥ ${min}×`, pass: value >= min });
  atLeast(
    'bound child `inc()` vs prom-client bound child',
    h.bound.vigil / h.bound['prom-client'],
    10,
  );
  atLeast('`inc({3 labels})` vs prom-client', h.inc3.vigil / h.inc3['prom-client'], 3);
  atLeast('`inc({3 labels})` vs OTel `Counter.add`', h.inc3.vigil / h.inc3.otel, 10);
  atLeast(
    '`observe({3 labels}, v)` vs prom-client',
    h.observe3.vigil / h.observe3['prom-client'],
    3,
  );
  atLeast(
    '`observe({3 labels}, v)` vs OTel `Histogram.record`',
    h.observe3.vigil / h.observe3.otel,
    5,
  );
  atLeast(
    'windowed `summary.observe(v)` vs prom-client windowed summary',
    h.summaryWindowed.vigil / h.summaryWindowed['prom-client'],
    10,
  );
  atLeast(
    'windowed `summary.observe(v)` vs prom-client windowless summary',
    h.summaryWindowed.vigil / h.summaryPlain['prom-client'],
    3,
  );
  const e = m.exposition;
  atLeast('`metrics()` 5,000 counter series vs prom-client', e.counters5k.ratio, 2);
  atLeast('`metrics()` 1 histogram × 2,000 series vs prom-client', e.histogram2k.ratio, 2);
  const block = Math.max(m.eventLoop.vigil.pingMaxMs, m.eventLoop.vigil.monitorMaxMs);
  t.push({
    name: 'longest event-loop block, `metrics()` of 50,000 series',
    value: fmtMs(block),
    target: '≤ 10 ms',
    pass: block <= 10,
  });
  for (const shape of ['dense', 'sparse']) {
    for (const type of ['counter', 'histogram']) {
      for (const labels of ['kept', 'transient']) {
        const key = `${type}.${labels}/${shape}`;
        const ratio = m.heap[`${key}/vigil`] / m.heap[`${key}/prom-client`];
        t.push({
          name: `heap per ${type} series vs prom-client (${shape}, ${labels} labels)`,
          value: fmtRatio(ratio),
          target: '≤ 0.5×',
          pass: ratio <= 0.5,
        });
      }
    }
    for (const obs of [1, 100]) {
      const bytes = m.heap[`summary@${obs}/${shape}/vigil`];
      t.push({
        name: `heap per windowed summary series, ${obs} observation${obs > 1 ? 's' : ''} (${shape})`,
        value: fmtBytes(bytes),
        target: '≤ 5 KB',
        pass: bytes <= 5 * 1024,
      });
    }
  }
  for (const [key, label] of [
    ['vigilSummary', 'summary'],
    ['vigilMerged', '10 merged sketches'],
  ]) {
    const worst = Math.max(
      ...['uniform', 'lognormal', 'bimodal'].flatMap((d) => m.accuracy[d][key]),
    );
    t.push({
      name: `worst quantile error, Vigil ${label} (p50–p99.9, 3 distributions)`,
      value: fmtPct(worst),
      target: '≤ 1 %',
      pass: worst <= 0.01,
    });
  }
  t.push(...resilienceTargets(m));
  t.push(...storageTargets(m));
  t.push(...httpTargets(m));
  if (m.jobs !== undefined) t.push(...jobsTargets(m));
  if (m.jobsBullmq !== undefined) t.push(...jobsBullmqTargets(m));
  if (m.alerts !== undefined) t.push(...alertsTargets(m));
  if (m.notifier !== undefined) t.push(...notifierTargets(m));
  if (m.cache !== undefined) t.push(...cacheTargets(m, range));
  if (m.promAggregate !== undefined) t.push(...promAggregateTargets(m, range));
  if (m.otelBridge !== undefined) t.push(...otelBridgeTargets(m, range));
  if (m.promClientFacade !== undefined) t.push(...promClientFacadeTargets(m));
  return t;
}

/** `libraries`: [row/library, label, row/library of the Vigil figure it is compared with]. */
function hotTable(m, range, libraries, note) {
  const lines = [
    '| library | ops/s (median) | min – max over rounds | Vigil ÷ library |',
    '|---|---:|---:|---:|',
  ];
  const at = (table, key) => {
    const [row, lib] = key.split('/');
    return table.hotPaths[row][lib];
  };
  for (const [key, label, vigilKey] of libraries) {
    const v = at(m, key);
    const [lo, hi] = at(range, key);
    const ratio = vigilKey === undefined ? '' : fmtRatio(at(m, vigilKey) / v);
    lines.push(`| ${label} | ${fmtOps(v)} | ${fmtOps(lo)} – ${fmtOps(hi)} | ${ratio} |`);
  }
  return `${lines.join('\n')}\n${note ? `\n${note}\n` : ''}`;
}

export function renderResults(r) {
  const m = r.median;
  const range = r.range;
  const mc = r.machine;
  const out = [];
  out.push('# Vigil benchmarks: results\n');
  out.push(
    'Generated by `benchmarks/src/run.mjs`; do not edit by hand, re-run instead. See `README.md` in this folder for what each file measures.\n',
  );
  out.push('| | |\n|---|---|');
  out.push(
    '| command | `npx -y pnpm@10.34.8 bench` (repo root) → `pnpm --filter @vigil/benchmarks bench` |',
  );
  out.push(`| date | ${mc.date} |`);
  out.push(`| Node | ${mc.node} (V8 ${mc.v8}), ${mc.platform} |`);
  out.push(`| CPU | ${mc.cpu}, ${mc.cores} cores (shared, noisy machine) |`);
  out.push(`| measured | ${mc.commit} |`);
  out.push(
    `| libraries | ${Object.entries(mc.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} |`,
  );
  out.push(
    `| rounds | ${r.rounds}${r.quick ? ' (QUICK mode: short timings, not for comparison)' : ''}, each part in a fresh process; every figure is the median over the rounds; total ${Math.round(r.durationS)} s |`,
  );
  for (const [part, run] of Object.entries(r.partRuns ?? {})) {
    out.push(
      `| part \`${part}\` | re-run alone at ${run.commit} on ${run.date}, ${run.rounds} round${run.rounds > 1 ? 's' : ''} (\`node --expose-gc src/run.mjs --only=${part} --rounds=${run.rounds} --merge\`) |`,
    );
  }
  out.push('');

  out.push('## Targets\n');
  out.push('| target | Vigil | goal | result |\n|---|---:|---:|---|');
  for (const t of targets(m, range))
    out.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.info ? 'info' : verdict(t.pass)} |`);
  out.push('');

  out.push('## Recording hot paths\n');
  out.push(
    'tinybench 6, 1 s per task after 0.3 s warm-up. Each task call runs 1,024 operations over the same pre-built arrays for every library: 1,024 label objects (fresh object literals, drawn with a seeded PRNG from 4 methods × 5 routes × 4 statuses) and 1,024 log-normal latencies (median 50 ms). ops/s = 1,024 ÷ mean call time, so GC pauses are included. OpenTelemetry has a `MetricReader` attached and the same 11 bucket bounds as prom-client. The floor is `o.v += 1` in the same loop.\n',
  );
  const floor = ['floor/floor', 'floor `o.v += 1`'];
  out.push('### Bound child: `counter.labels({..})` bound once, then `child.inc()`\n');
  out.push(
    hotTable(
      m,
      range,
      [
        floor,
        ['bound/vigil', 'Vigil child `inc()`'],
        ['bound/prom-client', 'prom-client child `inc()`', 'bound/vigil'],
        ['bindEach/vigil', 'Vigil `labels({..}).inc()` on every call (info)'],
        [
          'bindEach/prom-client',
          'prom-client `labels({..}).inc()` on every call (info)',
          'bindEach/vigil',
        ],
      ],
      'The children are bound outside the timed function, one per label combination, and called in the order of the label array. OpenTelemetry has no bound instruments. The two "(info)" lines bind on every call and compare with each other.',
    ),
  );
  out.push('### `counter.inc({ method, route, status })`\n');
  out.push(
    hotTable(m, range, [
      floor,
      ['inc3/vigil', 'Vigil `inc(labels)`'],
      ['inc3/prom-client', 'prom-client `inc(labels)`', 'inc3/vigil'],
      ['inc3/otel', 'OTel `Counter.add(1, attributes)`', 'inc3/vigil'],
    ]),
  );
  out.push('### `histogram.observe({ method, route, status }, v)`, default buckets\n');
  out.push(
    hotTable(m, range, [
      floor,
      ['observe3/vigil', 'Vigil `observe(labels, v)`'],
      ['observe3/prom-client', 'prom-client `observe(labels, v)`', 'observe3/vigil'],
      ['observe3/otel', 'OTel `Histogram.record(v, attributes)`', 'observe3/vigil'],
    ]),
  );
  out.push('### `summary.observe(v)`, quantiles 0.5 / 0.9 / 0.99\n');
  out.push(
    hotTable(
      m,
      range,
      [
        floor,
        ['summaryWindowed/vigil', "Vigil, window `maxAge: '10m'`, 5 age buckets"],
        [
          'summaryWindowed/prom-client',
          'prom-client, `maxAgeSeconds: 600`, 5 age buckets',
          'summaryWindowed/vigil',
        ],
        ['summaryPlain/prom-client', 'prom-client windowless', 'summaryWindowed/vigil'],
        ['summaryPlain/vigil', 'Vigil windowless, `maxAge: false` (info)'],
      ],
      "Both prom-client lines are compared with Vigil's windowed summary, as the targets ask.",
    ),
  );

  out.push('## `metrics()` render time (Prometheus text)\n');
  out.push(
    "Mean time of one `await registry.metrics()`, same series and values in both libraries (both render the same number of samples), in one process: after a 300 ms warm-up of each, 10 rounds time each library for 150 ms of back-to-back renders, the order alternating (Vigil first, then prom-client first, …). Times: the median over rounds of the mean render time; ratio: the median of the rounds' prom-client ÷ Vigil; then the median over the runs.\n",
  );
  out.push(
    '| case | samples | Vigil | prom-client | prom-client ÷ Vigil (median of rounds) |\n|---|---:|---:|---:|---:|',
  );
  for (const [row, label] of [
    ['counters5k', '100 counters × 50 label sets = 5,000 series'],
    ['histogram2k', '1 histogram (default buckets) × 2,000 series'],
  ]) {
    const e = m.exposition[row];
    out.push(
      `| ${label} | ${e.samples} | ${fmtMs(e.vigil)} | ${fmtMs(e['prom-client'])} | ${fmtRatio(e.ratio)} |`,
    );
  }
  out.push('');

  out.push('## Longest event-loop block while `metrics()` renders 50,000 series\n');
  out.push(
    "50 counters × 1,000 label sets (4 methods × 50 routes × 5 statuses). Per run: one warm-up render of each library, then 5 measured renders per library, alternating (Vigil, prom-client, prom-client, Vigil, …), each with `perf_hooks.monitorEventLoopDelay({ resolution: 1 })` and a `setImmediate` ping loop running; the figure is the median of the 5 renders' maxima, then the median over runs. The output is ~4 MB: returning it as one string means writing ~4 MB of freshly mapped memory in one step, which costs ~2.6 ms per MB on this virtual machine (first touch of a page; re-touching costs 0.02 ms per MB), so ~10.5 ms at least for either library; Vigil renders in slices of ~3 ms and gives that final copy a turn of its own.\n",
  );
  out.push(
    '| library | render time | max block (ping loop) | max block (monitorEventLoopDelay) | worst ping block of a round |\n|---|---:|---:|---:|---:|',
  );
  for (const lib of ['vigil', 'prom-client']) {
    const e = m.eventLoop[lib];
    out.push(
      `| ${lib} | ${fmtMs(e.renderMs)} | ${fmtMs(e.pingMaxMs)} | ${fmtMs(e.monitorMaxMs)} | ${fmtMs(e.worstPingMaxMs)} |`,
    );
  }
  out.push('');

  out.push('## Heap per series, 10,000 label sets\n');
  out.push(
    "One metric in a fresh registry per process (`node --expose-gc`), `gc()` ×4 before and after recording 10,000 distinct label sets (one `inc()` / `observe()` each, or 100 observations for the second summary line). Counted: (V8 heap without its code spaces + `external`) delta ÷ 10,000: typed arrays live outside the V8 heap, and JIT code moves by ±200 KB from run to run (the V8 heap part alone is in the last columns). A first fill with other label strings, before the baseline, compiles the code paths. Label objects and value strings are built the same way for both libraries (flat strings, through a JSON round trip), in one of two ways:\n\n- **kept**: built before the baseline and kept alive, so they are **excluded** for both libraries; what is counted is what the library allocates per series (keys, index maps, arrays, digests/sketches).\n- **transient**: built after the baseline and dropped before the final measurement, as an application that builds a labels object per request: each library is **charged for the label strings and objects it retains** (prom-client keeps the first labels object of each series; Vigil keeps the value strings in its index).\n\nVigil's cardinality limit is raised to 10,000. Summaries are windowed (10 min, 5 age buckets) in both libraries and measured with kept labels only. Shapes: **dense** = 4 methods × 500 routes × 5 statuses; **sparse** = a route unique to each series (an id-like label), method `i % 4`, status `i % 5`.\n",
  );
  out.push(
    '| metric | shape | labels | Vigil | prom-client | Vigil ÷ prom-client | Vigil, V8 heap only | prom-client, V8 heap only |\n|---|---|---|---:|---:|---:|---:|---:|',
  );
  for (const shape of ['dense', 'sparse']) {
    for (const [key, label, labels] of [
      ['counter.kept', 'counter, 1 `inc()`', 'kept'],
      ['counter.transient', 'counter, 1 `inc()`', 'transient'],
      ['histogram.kept', 'histogram, 1 `observe()`', 'kept'],
      ['histogram.transient', 'histogram, 1 `observe()`', 'transient'],
      ['summary@1', 'summary, 1 `observe()`', 'kept'],
      ['summary@100', 'summary, 100 `observe()`', 'kept'],
    ]) {
      const v = m.heap[`${key}/${shape}/vigil`];
      const p = m.heap[`${key}/${shape}/prom-client`];
      out.push(
        `| ${label} | ${shape} | ${labels} | ${fmtBytes(v)} | ${fmtBytes(p)} | ${fmtRatio(v / p)} | ${fmtBytes(m.heap[`heapOnly:${key}/${shape}/vigil`])} | ${fmtBytes(m.heap[`heapOnly:${key}/${shape}/prom-client`])} |`,
      );
    }
  }
  out.push('');

  const a = m.accuracy;
  out.push('## Quantile accuracy\n');
  out.push(
    `${a.samples.toLocaleString('en-US')} samples per distribution from a seeded PRNG (mulberry32). Exact quantile: nearest rank, the sorted sample at rank ceil(q·n). Relative error = |estimate − exact| ÷ exact. Vigil summary: windowless summary (relative error 1 %), read from \`registry.snapshot()\`. Vigil merged: ${a.shards} \`new ExponentialSketch()\` fed round-robin, merged into one. prom-client summary: windowless (t-digest). prom-client histogram: default buckets, read with Prometheus' \`histogram_quantile\` linear interpolation. The data are the same in every round and Vigil's sketch is deterministic; prom-client's t-digest shuffles its centroids with \`Math.random()\` when it compresses, so its summary's error varies from round to round (median, with the min – max over rounds). Distributions (seconds): uniform on [0, 1); log-normal, median 50 ms, σ = 1; bimodal, 80 % normal(20 ms, 4 ms) + 20 % normal(400 ms, 80 ms), floored at 0.1 ms.\n`,
  );
  for (const dist of ['uniform', 'lognormal', 'bimodal']) {
    const d = a[dist];
    const ar = range.accuracy[dist].promSummary;
    out.push(`### ${dist}\n`);
    out.push(
      '| quantile | exact | Vigil summary | Vigil 10 merged | prom-client summary | prom-client histogram | Vigil ≤ 1 % |\n|---|---:|---:|---:|---:|---:|---|',
    );
    a.quantiles.forEach((q, i) => {
      const pass = d.vigilSummary[i] <= 0.01 && d.vigilMerged[i] <= 0.01;
      out.push(
        `| p${q * 100} | ${d.exact[i].toPrecision(5)} s | ${fmtPct(d.vigilSummary[i])} | ${fmtPct(d.vigilMerged[i])} | ${fmtPct(d.promSummary[i])} (${fmtPct(ar[i][0])} – ${fmtPct(ar[i][1])}) | ${fmtPct(d.promHistogram[i])} | ${verdict(pass)} |`,
      );
    });
    out.push('');
  }
  out.push(renderResilience(m, range));
  out.push(renderStorage(m, range));
  out.push(renderHttp(m, range, r.raw));
  if (m.jobs !== undefined) out.push(renderJobs(m, range));
  if (m.jobsBullmq !== undefined) out.push(renderJobsBullmq(m, range, r.raw));
  if (m.alerts !== undefined) out.push(renderAlerts(m, range));
  if (m.notifier !== undefined) out.push(renderNotifier(m, range));
  if (m.cache !== undefined) out.push(renderCache(m, range));
  if (m.cacheL2 !== undefined) out.push(renderCacheL2(m, range));
  if (m.promAggregate !== undefined) out.push(renderPromAggregate(m, range));
  if (m.otelBridge !== undefined) out.push(renderOtelBridge(m, range));
  if (m.promClientFacade !== undefined) out.push(renderPromClientFacade(m));
  return `${out.join('\n')}\n`;
}
