// The report's section for @vigil/alerts: alerts.mjs (one evaluation cycle of 1,000 alerting
// rules over 10,000 series, how it grows with series and rules, and the heap of 24 h of history).
import { fmtMs, verdict } from './format.mjs';

const count = (v) => v.toLocaleString('en-US');
const fmtMB = (bytes) =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
const fmtPoints = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : count(n));
const spread = ([lo, hi]) => `${fmtMs(lo)} – ${fmtMs(hi)}`;

const KIND_LABELS = {
  errorRatio: 'error-rate ratio of two `rate`s, one service/route pair',
  latencyP99: '`histogram_quantile(0.99, …)` of one pair',
  queueThreshold: 'threshold on one queue',
  cpuAvgOverTime: '`avg_over_time` of one instance',
  diskThreshold: 'threshold on one disk',
  jobFailureRatio: '`sum by (type)` failure ratio of one job type',
  wide: 'wide: over a whole metric',
};

/** The alerts target of its issue, and the 24 h heap for information, on the medians. */
export function alertsTargets(m) {
  const a = m.alerts;
  const h = a.heap24h;
  return [
    {
      name: `alerts: one cycle of ${count(a.rules)} rules over ${count(a.series)} series (${a.historyHours} h of ${a.stepS} s history)`,
      value: fmtMs(a.target.medianMs),
      target: '≤ 50 ms',
      pass: a.target.medianMs <= 50,
    },
    {
      name: `alerts: heap held by ${h.hours} h of ${a.stepS} s history, ${count(h.series)} series (${fmtPoints(h.points)} points)${h.extrapolated ? ', EXTRAPOLATED' : ''}; the same cycle on it (info)`,
      value: `${fmtMB(h.heapBytesAtHours)} (${h.bytesPerPoint.toFixed(1)} B/point); cycle ${fmtMs(h.cycle.medianMs)}`,
      target: '—',
      pass: null,
      info: true,
    },
  ];
}

export function renderAlerts(m, range) {
  const a = m.alerts;
  const r = range.alerts;
  const t = a.target;
  const h = a.heap24h;
  const g = a.growth;
  const out = [];
  out.push('## Alerts: evaluation cycle\n');
  out.push(
    `\`@vigil/alerts\` evaluating Prometheus alerting rules in-process; an absolute target (Prometheus is not an embeddable JS library, so there is no peer to race). History: a \`MemorySeries\` filled in time order with one point per series every ${a.stepS} s (as the engine's sampler appends: the same label object for a series every time, timestamps from 2025-01-01T00:00:00Z), ${a.historyHours} h of it (${a.pointsPerSeries} points per series) for the timings, no stale markers. Values come from a seeded PRNG and are mostly healthy: a few service/route pairs have 12 % errors or a p99 of ≈ 10 s, a few queues, hosts, disks and job types are bad, so few rules fire. Rules: \`new AlertingRule({ name, expr: parsePromql(text), holdDuration: 0, keepFiringFor: 0, labels: {}, annotations: {} })\`, every text distinct. A cycle: \`rule.evaluate(now, { source, cache })\` for every rule in order, \`cache\` a new \`Map\` per cycle shared by its rules (selections of the same selector are made once per cycle), \`now\` the last sample's time; \`performance.now()\` around the whole cycle. Each series size runs in a fresh process (\`node --expose-gc src/alerts.mjs cycle <series>\`), its rule counts in turn; per cell ${a.warmup} warm-up cycles, \`gc()\`, then ${a.cycles} timed cycles: the median (then the median over the runs), and the min – max of the cycles. After the timed cycles, every rule's expression without its threshold is evaluated once more, on its own, to check that it returns series (a selector matching nothing would make a cycle cheap).\n`,
  );
  out.push(
    `Series at ${count(a.series)}: \`http_requests_total{service,route,code}\` (500 service/route pairs × codes 200, 500: 1,000), \`http_request_duration_seconds_bucket{service,route,le}\` (500 pairs × 12 cumulative buckets: 6,000), \`queue_length{queue}\` (500), \`cpu_usage_ratio{instance}\` (500), \`disk_free_ratio{instance,mount}\` (500 × 3 mounts: 1,500), \`jobs_total{type,outcome}\` (100 types × 5 outcomes: 500). 1,000 and 5,000 series take the same fraction of every family.\n`,
  );
  out.push(
    `Rules at ${count(a.rules)} (100 and 500 take the same fraction of each kind); each per-slice rule reads its own pair, queue, host, disk or type, spread evenly over them; where a size has fewer slices than rules of a kind (1,000 series: 50 pairs for 250 rules), rules share a slice with a different threshold each, as warning and critical rules do, and their selections then come from the cycle's cache:\n`,
  );
  out.push('| kind | rules | example (the first rule of the kind) |\n|---|---:|---|');
  for (const [kind, n] of Object.entries(a.mix)) {
    const example = kind === 'wide' ? a.examples.wide : a.examples[kind];
    out.push(`| ${KIND_LABELS[kind] ?? kind} | ${n} | \`${example}\` |`);
  }
  out.push('');
  out.push(`### ${count(a.rules)} rules over ${count(a.series)} series\n`);
  out.push('| figure | value |\n|---|---:|');
  out.push(`| cycle time (median) | ${fmtMs(t.medianMs)} |`);
  out.push(`| min – max of the ${a.cycles} cycles | ${fmtMs(t.minMs)} – ${fmtMs(t.maxMs)} |`);
  out.push(`| median, min – max over runs | ${spread(r.target.medianMs)} |`);
  out.push(
    `| alerts firing after the cycles | ${count(Math.round(t.firing))} (${Object.entries(
      t.firingByKind,
    )
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${kind} ${Math.round(n)}`)
      .join(', ')}) |`,
  );
  out.push(
    `| rules whose expression returned series | ${count(t.rulesWithData)} / ${count(a.rules)} |`,
  );
  out.push('');
  out.push(
    `Time by kind (info; a separate pass of ${a.cycles} cycles with each rule timed on its own, mean per cycle): ${Object.entries(
      t.byKindMs,
    )
      .map(([kind, ms]) => `${kind} ${fmtMs(ms)}`)
      .join(', ')}.\n`,
  );

  out.push(`### The ${a.mix.wide} wide rules\n`);
  out.push(
    `Each over a whole metric. Smaller mixes take ${a.mix.wide} × rules ÷ ${count(a.rules)} of them, spread evenly over the list: which rules a mix holds matters as much as how many, since their costs differ widely. Time: each rule's own time per cycle at ${count(a.series)} series × ${count(a.rules)} rules (the pass above; information).\n`,
  );
  out.push('| wide rule | in the mixes of | time per cycle (info) |\n|---|---:|---:|');
  a.wide.forEach(({ text, from }, i) => {
    const ms = t.wideMs[i];
    out.push(`| \`${text}\` | ≥ ${count(from)} rules | ${ms === undefined ? '' : fmtMs(ms)} |`);
  });
  out.push('');

  out.push('### Growth: median cycle time by series and rules\n');
  out.push(
    `${a.historyHours} h of history; the mixes scaled proportionally. In brackets: alerts firing.\n`,
  );
  out.push(
    `| series \\ rules | ${g.rules.map(count).join(' | ')} |\n|---:|${g.rules.map(() => '---:').join('|')}|`,
  );
  g.series.forEach((series, i) => {
    const cells = g.rules.map(
      (_, j) => `${fmtMs(g.medianMs[i][j])} (${Math.round(g.firing[i][j])})`,
    );
    out.push(`| ${count(series)} | ${cells.join(' | ')} |`);
  });
  out.push('');

  out.push('### Heap held by the history\n');
  out.push(
    `\`process.memoryUsage().heapUsed\` after \`gc()\` ×4, before the series' label objects are built and after every point is appended (the label sets are held by the history too), in a fresh process (\`node --expose-gc --max-old-space-size=12288 src/alerts.mjs heap ${h.hours}\`): ${count(h.series)} series × ${count(h.points / h.series)} points (${h.hours} h at ${a.stepS} s). The load stops at an hour boundary once it has taken over 3 minutes or the heap is over 8 GB, and the ${h.hours} h heap is then extrapolated from the bytes per point measured (the row says so). Then the ${count(a.rules)} rules' cycle on that history, as above.\n`,
  );
  out.push(
    '| history | points | heap held | bytes per point | load time | cycle (median, min – max of the cycles) | alerts firing |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  const hh = a.heap1h;
  out.push(
    `| ${a.historyHours} h (the timing runs' process) | ${fmtPoints(hh.points)} | ${fmtMB(hh.heapBytes)} | ${hh.bytesPerPoint.toFixed(1)} B | ${hh.loadS.toFixed(1)} s | ${fmtMs(t.medianMs)} (${fmtMs(t.minMs)} – ${fmtMs(t.maxMs)}) | ${Math.round(t.firing)} |`,
  );
  const heapCell = h.extrapolated
    ? `${fmtMB(h.heapBytesAtHours)}, EXTRAPOLATED from ${h.loadedHours} h (${fmtMB(h.heapBytes)}; stopped: ${h.stoppedBy})`
    : fmtMB(h.heapBytesAtHours);
  out.push(
    `| ${h.hours} h | ${fmtPoints(h.points)} | ${heapCell} | ${h.bytesPerPoint.toFixed(1)} B | ${h.loadS.toFixed(0)} s | ${fmtMs(h.cycle.medianMs)} (${fmtMs(h.cycle.minMs)} – ${fmtMs(h.cycle.maxMs)}) | ${Math.round(h.cycle.firing)} |`,
  );
  out.push('');
  out.push(
    `The ${h.hours} h process's heap total ${fmtMB(h.heapTotalBytes)}, RSS ${fmtMB(h.rssBytes)}. Heap held, min – max over runs: ${fmtMB(r.heap24h.heapBytesAtHours[0])} – ${fmtMB(r.heap24h.heapBytesAtHours[1])}.\n`,
  );
  return out.join('\n');
}

/** The alerts part alone (`run.mjs --only=alerts`): its targets and section. */
export function renderAlertsAlone(results) {
  const m = results.median;
  const mc = results.machine;
  const out = [
    `# Vigil benchmarks: alerts alone (${results.rounds} round${results.rounds > 1 ? 's' : ''}${results.quick ? ', QUICK mode' : ''}, ${Math.round(results.durationS)} s)\n`,
    `${mc.date}, Node ${mc.node}, ${mc.cpu} × ${mc.cores}, at ${mc.commit}\n`,
    '| target | Vigil | goal | result |\n|---|---:|---:|---|',
  ];
  for (const t of alertsTargets(m)) {
    out.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.info ? 'info' : verdict(t.pass)} |`);
  }
  out.push('');
  out.push(renderAlerts(m, results.range));
  return `${out.join('\n')}\n`;
}
