// @vigil/alerts: one cycle of the alert `Notifier` (Alertmanager's job in-process), an absolute
// target (no peer: Alertmanager is not an embeddable JS library). The issue's figure: 10,000
// active alerts through routing, grouping, inhibition and silences in one cycle in at most 20 ms;
// how the cycle grows with alerts and silences.
//
// Setup (every cell the same; only the alert and silence counts change):
//   route: root (receiver default, groupBy [alertname, service], groupWait 0s, groupInterval 5m,
//     repeatInterval 4h) and 19 routes below it: a regex heartbeat route, `severity="critical"` →
//     pager with `continue`, a two-matcher regex storage route, then one route per team (8, by
//     `team=`), each with one child to `tickets` (`severity="info"`, or a regex on alertname).
//   receivers: 13 (default, heartbeat, pager, storage, tickets, one per team), each one no-op
//     channel `{ type: 'noop', async send() {} }` (it counts what it is sent).
//   inhibitRules: critical mutes warning with equal [service]; ServiceDown mutes every other
//     alert of its service; a both-sided rule (HighErrorRate|HighLatency mute HighLatency|
//     SlowQueries of the same service and instance; HighLatency is on both sides).
//   silences: created on the notifier (active for 7 days); 40 % `instance="…"`, 30 % alertname +
//     service, 20 % regex service + regex alertname, 10 % regex instance.
//   alerts: seeded (mulberry32), shaped like the engine's `Alert` (labels alertname, service,
//     instance, severity, team; two annotations; state 'firing'; activeAt, firedAt, value;
//     resolvedAt undefined): 50 services (8 teams), 19 alert names drawn with Zipf-like weights,
//     instance `<service>-<k>` counting per (name, service); HighErrorRate is critical in 5
//     services; ServiceDown (critical) fires in 2 services.
//
// Timers and clock: a manual clock of this file (`benchClock`, a binary heap of timers), passed as
// `clock` and `timers`: `advance(ms)` runs the timers falling due, in order, synchronously. (The
// `manualClock()` of `@vigil/core/testing` scans every pending timer for each one it runs, which
// costs O(groups²) per flush; at 10,000 alerts × 50 silences the first cycle is also timed with
// it, for information.)
//
// Scenarios, each in a fresh `Notifier` (silences created before the clock starts):
//   first: fresh alert objects (new label objects: fingerprints not cached), timed:
//     `notifier.ingest(alerts, now)` + `clock.advance(0)` (groupWait 0: every group flushes and
//     queues its notification; channel sends start, synchronously).
//   steady: untimed, the first cycle, its deliveries drained, the clock moved to 1 s before the
//     groups' interval; timed: the same alert objects ingested again (nothing changed) +
//     `clock.advance(1000)` (every group flushes; nothing is new, so only the repeats due go: with
//     the notifier's default cooldowns, those of the groups whose alerts are critical).
//   resolve: as steady, but every 10th alert resolved (state 'inactive', resolvedAt now, same
//     labels object) in the ingested list: those groups notify the resolved alerts.
// Each timed cycle also splits ingest and flush; then `await notifier.idle()` (the no-op
// deliveries, async) is timed apart (information). `gc()` before each timed cycle. Per cell:
// 3 warm-up rounds, then 15 timed rounds, each round running every scenario once (the order
// rotating); the median, min and max. Heap (and the groups, notifications, alerts silenced and
// inhibited), per cell in a fresh process: `heapUsed` after `gc()` with the alerts built, before
// the notifier is and after its first cycle (deliveries drained).
//
//   node --expose-gc src/notifier.mjs [--quick]      (everything; prints one JSON line)
//   node --expose-gc src/notifier.mjs cell <alerts>   (one alert count × 0, 50, 500 silences)
//   node --expose-gc src/notifier.mjs heap <alerts> <silences>   (the heap and counts of a cell)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { prng } from './lib/data.mjs';
import { fmtMs, verdict } from './lib/format.mjs';
import { printJson } from './lib/output.mjs';

const quick = process.argv.includes('--quick');
const START = Date.UTC(2026, 0, 1);
const GROUP_INTERVAL = 300_000;
/** The engine's cycle before the groups' interval ends: the steady and resolve cycles run then. */
const LEAD = 1_000;
const ALERT_COUNTS = [1_000, 5_000, 10_000, 20_000];
const SILENCE_COUNTS = [0, 50, 500];
const FULL_ALERTS = 10_000;
const FULL_SILENCES = 50;
const WARMUP = quick ? 1 : 3;
const RUNS = quick ? 5 : 15;
const SCENARIOS = ['first', 'steady', 'resolve'];
const TARGET_MS = 20;

const TEAMS = [
  'checkout',
  'payments',
  'search',
  'identity',
  'storage',
  'platform',
  'data',
  'mobile',
];
const SERVICES = 50;
/** Services where HighErrorRate is critical, and where ServiceDown fires. */
const CRITICAL_SERVICES = new Set([3, 13, 23, 33, 43]);
const DOWN_SERVICES = [7, 31];
// [alertname, severity], the most frequent first.
const NAMES = [
  ['HighErrorRate', 'warning'],
  ['HighLatency', 'warning'],
  ['PodCrashLooping', 'warning'],
  ['CPUThrottling', 'warning'],
  ['MemoryPressure', 'warning'],
  ['PodNotReady', 'warning'],
  ['DiskFull', 'warning'],
  ['QueueBacklog', 'warning'],
  ['SlowQueries', 'warning'],
  ['ReplicationLag', 'warning'],
  ['JobFailures', 'warning'],
  ['TargetDown', 'warning'],
  ['DiskWillFillIn4h', 'info'],
  ['CertExpiringSoon', 'info'],
  ['HighGCPause', 'info'],
  ['CacheMissRate', 'info'],
  ['ConnectionPoolExhausted', 'warning'],
  ['NodeNotReady', 'warning'],
  ['ErrorBudgetBurn', 'warning'],
];
const WEIGHTS = NAMES.map((_, k) => 1 / (k + 1) ** 0.8);
const TOTAL_WEIGHT = WEIGHTS.reduce((a, b) => a + b, 0);

function pickName(random) {
  let x = random() * TOTAL_WEIGHT;
  for (let k = 0; k < NAMES.length; k++) {
    x -= WEIGHTS[k];
    if (x < 0) return k;
  }
  return NAMES.length - 1;
}

const serviceName = (s) => `svc-${s}`;
const teamOf = (s) => TEAMS[s % TEAMS.length];

/** The label values of `count` alerts (seeded; the same for every silence count). */
function alertSpecs(count) {
  const random = prng(7);
  const perPair = new Map();
  const specs = [];
  const add = (alertname, s, severity) => {
    const pair = `${alertname}/${s}`;
    const k = perPair.get(pair) ?? 0;
    perPair.set(pair, k + 1);
    specs.push({
      alertname,
      service: serviceName(s),
      instance: `${serviceName(s)}-${k}`,
      severity,
      team: teamOf(s),
      firedAt: START - 60_000 * (1 + Math.floor(random() * 240)),
      value: Math.round(random() * 1000) / 10,
    });
  };
  for (const s of DOWN_SERVICES) add('ServiceDown', s, 'critical');
  while (specs.length < count) {
    const s = Math.floor(random() * SERVICES);
    const [alertname, severity] = NAMES[pickName(random)];
    add(
      alertname,
      s,
      alertname === 'HighErrorRate' && CRITICAL_SERVICES.has(s) ? 'critical' : severity,
    );
  }
  return specs;
}

/** Fresh alert objects (fresh label objects, so no fingerprint is cached yet), as the engine's. */
function freshAlerts(specs) {
  return specs.map(({ alertname, service, instance, severity, team, firedAt, value }) => ({
    labels: { alertname, service, instance, severity, team },
    annotations: {
      summary: `${alertname} on ${instance}`,
      runbook_url: `https://runbooks.example.com/${alertname}`,
    },
    state: 'firing',
    value,
    activeAt: firedAt - 60_000,
    firedAt,
    resolvedAt: undefined,
  }));
}

/** The same list with every 10th alert resolved at `at` (the same labels object). */
function resolveTenth(alerts, at) {
  return alerts.map((alert, i) =>
    i % 10 === 5 ? { ...alert, state: 'inactive', resolvedAt: at } : alert,
  );
}

/** `count` silences (seeded), as `createSilence` inputs. */
function silenceInputs(count) {
  const random = prng(11);
  const pick = (n) => Math.floor(random() * n);
  const out = [];
  for (let i = 0; i < count; i++) {
    const s = pick(SERVICES);
    const kind = i % 10;
    let matchers;
    if (kind < 4) {
      matchers = [`instance="${serviceName(s)}-${pick(12)}"`];
    } else if (kind < 7) {
      matchers = [`alertname="${NAMES[pick(NAMES.length)][0]}"`, `service="${serviceName(s)}"`];
    } else if (kind < 9) {
      const other = (s + 1 + pick(SERVICES - 1)) % SERVICES;
      const prefix = NAMES[pick(NAMES.length)][0].slice(0, 4);
      matchers = [`service=~"${serviceName(s)}|${serviceName(other)}"`, `alertname=~"${prefix}.*"`];
    } else {
      matchers = [`instance=~"${serviceName(s)}-[0-4]"`];
    }
    out.push({
      matchers,
      endsAt: START + 7 * 86_400_000,
      createdBy: 'bench',
      comment: `silence ${i}`,
    });
  }
  return out;
}

/** The routing tree: a root and 19 routes. */
function routeConfig() {
  return {
    receiver: 'default',
    groupBy: ['alertname', 'service'],
    groupWait: '0s',
    groupInterval: '5m',
    repeatInterval: '4h',
    routes: [
      { matchers: ['alertname=~"Watchdog|DeadMansSwitch"'], receiver: 'heartbeat' },
      { matchers: ['severity="critical"'], receiver: 'pager', continue: true },
      {
        matchers: ['alertname=~"Disk.*|ReplicationLag"', 'team=~"storage|data"'],
        receiver: 'storage',
      },
      ...TEAMS.map((team, i) => ({
        matchers: [`team="${team}"`],
        receiver: `team-${team}`,
        routes: [
          {
            matchers:
              i % 2 === 0 ? ['severity="info"'] : ['alertname=~"Cert.*|Cache.*|HighGCPause"'],
            receiver: 'tickets',
          },
        ],
      })),
    ],
  };
}

const INHIBIT_RULES = [
  {
    sourceMatchers: ['severity="critical"'],
    targetMatchers: ['severity="warning"'],
    equal: ['service'],
  },
  {
    sourceMatchers: ['alertname="ServiceDown"'],
    targetMatchers: ['alertname!="ServiceDown"'],
    equal: ['service'],
  },
  {
    sourceMatchers: ['alertname=~"HighErrorRate|HighLatency"'],
    targetMatchers: ['alertname=~"HighLatency|SlowQueries"'],
    equal: ['service', 'instance'],
  },
];

const RECEIVERS = [
  'default',
  'heartbeat',
  'pager',
  'storage',
  'tickets',
  ...TEAMS.map((t) => `team-${t}`),
];

/**
 * A manual clock and timer provider: timers in a binary heap by (due, order); `advance(ms)` runs
 * those falling due, in order, synchronously, each with the clock at its due time.
 */
function benchClock(start) {
  let now = start;
  let order = 0;
  let live = 0;
  const heap = [];
  const before = (a, b) => a.due < b.due || (a.due === b.due && a.order < b.order);
  const push = (t) => {
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = { due: now + Math.max(0, ms), order: order++, callback, live: true };
      push(timer);
      live++;
      return timer;
    },
    clearTimeout(timer) {
      if (timer?.live) {
        timer.live = false;
        live--;
      }
    },
    advance(ms) {
      const target = now + ms;
      while (heap.length > 0 && heap[0].due <= target) {
        const timer = pop();
        if (!timer.live) continue;
        timer.live = false;
        live--;
        now = Math.max(now, timer.due);
        timer.callback();
      }
      now = target;
    },
    pendingTimers: () => live,
  };
}

function collect(times = 2) {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  for (let i = 0; i < times; i++) global.gc();
}

const heapUsed = () => process.memoryUsage().heapUsed;

let lib;
async function load() {
  lib ??= {
    ...(await import('@vigil/alerts')),
    ...(await import('@vigil/core/testing')),
  };
  return lib;
}

/** A notifier on `clock` with the silences; `sent` counts notifications and their alerts. */
function makeNotifier(clock, silences) {
  const sent = { notifications: 0, alerts: 0, resolved: 0 };
  const channel = {
    type: 'noop',
    async send(notification) {
      sent.notifications++;
      sent.alerts += notification.alerts.length;
      if (notification.status === 'resolved') sent.resolved++;
    },
  };
  const errors = [];
  const notifier = new lib.Notifier({
    route: routeConfig(),
    receivers: Object.fromEntries(RECEIVERS.map((name) => [name, channel])),
    inhibitRules: INHIBIT_RULES,
    clock,
    timers: clock,
    onError: (error) => errors.push(error),
  });
  for (const input of silences) notifier.createSilence(input);
  return { notifier, sent, errors };
}

/** One scenario in a fresh notifier: the timed cycle, split, and the drain after it. */
async function scenario(kind, specs, silences) {
  const clock = kind === 'firstManual' ? lib.manualClock(START) : benchClock(START);
  const { notifier, sent, errors } = makeNotifier(clock, silences);
  const alerts = freshAlerts(specs);
  let ingested = alerts;
  let flushBy = 0;
  if (kind === 'steady' || kind === 'resolve') {
    notifier.ingest(alerts, clock.now());
    clock.advance(0);
    await notifier.idle();
    clock.advance(GROUP_INTERVAL - LEAD);
    if (kind === 'resolve') ingested = resolveTenth(alerts, clock.now());
    flushBy = LEAD;
    sent.notifications = 0;
    sent.alerts = 0;
    sent.resolved = 0;
  }
  collect();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  notifier.ingest(ingested, clock.now());
  const t1 = performance.now();
  clock.advance(flushBy);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  await notifier.idle();
  const t3 = performance.now();
  const groups = notifier.groups().length;
  await notifier.close();
  if (errors.length > 0) throw errors[0];
  // A cycle that sent nothing would be cheap and meaningless (an API that changed, say).
  if (kind !== 'steady' && sent.notifications === 0) {
    throw new Error(`notifier benchmark: the ${kind} cycle sent no notification`);
  }
  return {
    cycleMs: t2 - t0,
    // The process's CPU time over the cycle (GC helper threads included): less sensitive to
    // other processes on a shared machine than the wall time.
    cpuMs: (cpu.user + cpu.system) / 1000,
    ingestMs: t1 - t0,
    flushMs: t2 - t1,
    drainMs: t3 - t2,
    groups,
    notifications: sent.notifications,
    alertsSent: sent.alerts,
    resolvedNotifications: sent.resolved,
  };
}

/**
 * In a fresh process (`notifier.mjs heap <alerts> <silences>`): the heap a notifier holds after its
 * first cycle (deliveries drained), `heapUsed` after `gc()` ×4 with the alerts built, before the
 * notifier is, and after its first cycle (a warm-up notifier of 1,000 alerts first, closed and
 * dropped, so that compiled code is not counted; the fingerprints cached on the label objects are);
 * and what the alerts met: groups, notifications, alerts silenced and inhibited.
 */
async function heapPart(alertCount, silenceCount) {
  await load();
  const silences = silenceInputs(silenceCount);
  {
    const clock = benchClock(START);
    const { notifier } = makeNotifier(clock, silences);
    notifier.ingest(freshAlerts(alertSpecs(1_000)), clock.now());
    clock.advance(0);
    await notifier.idle();
    await notifier.close();
  }
  const alerts = freshAlerts(alertSpecs(alertCount));
  await new Promise((resolve) => setTimeout(resolve, 0));
  collect(4);
  const before = heapUsed();
  const clock = benchClock(START);
  const { notifier, sent } = makeNotifier(clock, silences);
  notifier.ingest(alerts, clock.now());
  clock.advance(0);
  await notifier.idle();
  await new Promise((resolve) => setTimeout(resolve, 0));
  collect(4);
  const heapBytes = heapUsed() - before;
  let silenced = 0;
  let inhibited = 0;
  let muted = 0;
  for (const alert of alerts) {
    const m = notifier.muting(alert.labels);
    if (m.silencedBy.length > 0) silenced++;
    if (m.inhibitedBy !== undefined) inhibited++;
    if (m.silencedBy.length > 0 || m.inhibitedBy !== undefined) muted++;
  }
  const groups = notifier.groups().length;
  await notifier.close();
  return {
    heapBytes,
    bytesPerAlert: heapBytes / alerts.length,
    groups,
    notifications: sent.notifications,
    alertsSent: sent.alerts,
    silenced,
    inhibited,
    muted,
    alive: alerts.length,
  };
}

const stats = (runs, key) => {
  const v = runs.map((r) => r[key]).sort((a, b) => a - b);
  return { median: v[v.length >> 1], min: v[0], max: v[v.length - 1] };
};

/** One alert count × every silence count (and, at 10,000 × 50, the manualClock comparison). */
async function cellPart(alertCount) {
  await load();
  const specs = alertSpecs(alertCount);
  const out = {};
  for (const silenceCount of SILENCE_COUNTS) {
    const silences = silenceInputs(silenceCount);
    const kinds =
      alertCount === FULL_ALERTS && silenceCount === FULL_SILENCES
        ? [...SCENARIOS, 'firstManual']
        : SCENARIOS;
    const runs = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let round = 0; round < WARMUP + RUNS; round++) {
      for (let j = 0; j < kinds.length; j++) {
        const kind = kinds[(round + j) % kinds.length];
        const r = await scenario(kind, specs, silences);
        if (round >= WARMUP) runs[kind].push(r);
      }
    }
    const cell = {};
    for (const kind of kinds) {
      const rs = runs[kind];
      const cycle = stats(rs, 'cycleMs');
      const last = rs[rs.length - 1];
      cell[kind] = {
        medianMs: cycle.median,
        minMs: cycle.min,
        maxMs: cycle.max,
        cpuMs: stats(rs, 'cpuMs').median,
        ingestMs: stats(rs, 'ingestMs').median,
        flushMs: stats(rs, 'flushMs').median,
        drainMs: stats(rs, 'drainMs').median,
        groups: last.groups,
        notifications: last.notifications,
        alertsSent: last.alertsSent,
        resolvedNotifications: last.resolvedNotifications,
      };
    }
    process.stderr.write(
      `notifier: ${alertCount} alerts × ${silenceCount} silences: first ${fmtMs(cell.first.medianMs)}, steady ${fmtMs(cell.steady.medianMs)}, resolve ${fmtMs(cell.resolve.medianMs)}${cell.firstManual ? `, first on manualClock ${fmtMs(cell.firstManual.medianMs)}` : ''}\n`,
    );
    out[silenceCount] = cell;
  }
  return { alerts: alertCount, cells: out };
}

function child(args) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), ...args, ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function main() {
  const sizes = {};
  for (const n of ALERT_COUNTS) {
    sizes[n] = child(['cell', String(n)]).cells;
    for (const s of SILENCE_COUNTS) sizes[n][s].stats = child(['heap', String(n), String(s)]);
  }
  const full = sizes[FULL_ALERTS][FULL_SILENCES];
  const grid = (kind, key = 'medianMs') =>
    ALERT_COUNTS.map((n) => SILENCE_COUNTS.map((s) => sizes[n][s][kind][key]));
  return {
    warmup: WARMUP,
    runs: RUNS,
    routes: 20,
    receivers: RECEIVERS.length,
    inhibitRules: INHIBIT_RULES.length,
    alerts: FULL_ALERTS,
    silences: FULL_SILENCES,
    target: full,
    growth: {
      alerts: ALERT_COUNTS,
      silences: SILENCE_COUNTS,
      first: grid('first'),
      firstCpu: grid('first', 'cpuMs'),
      steady: grid('steady'),
      resolve: grid('resolve'),
      groups: ALERT_COUNTS.map((n) => SILENCE_COUNTS.map((s) => sizes[n][s].stats.groups)),
      muted: ALERT_COUNTS.map((n) => SILENCE_COUNTS.map((s) => sizes[n][s].stats.muted)),
      heapBytes: ALERT_COUNTS.map((n) => SILENCE_COUNTS.map((s) => sizes[n][s].stats.heapBytes)),
    },
  };
}

// ---- The report (run.mjs --only=notifier prints it) ----

const count = (v) => Math.round(v).toLocaleString('en-US');
const fmtMB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The targets of the issue, on the medians: each cycle at 10,000 alerts × 50 silences. */
export function notifierTargets(m) {
  const n = m.notifier;
  const t = n.target;
  const what = `${count(n.alerts)} firing alerts, ${n.routes} routes, ${n.inhibitRules} inhibition rules, ${n.silences} silences`;
  return [
    ['first', `notifier: first cycle (ingest + flush of every group), ${what}`],
    ['steady', 'notifier: steady cycle (the same alerts again, every group flushing, nothing new)'],
    ['resolve', 'notifier: cycle with 10 % of the alerts resolving'],
  ].map(([kind, name]) => ({
    name,
    value: fmtMs(t[kind].medianMs),
    target: `≤ ${TARGET_MS} ms`,
    pass: t[kind].medianMs <= TARGET_MS,
  }));
}

export function renderNotifier(m, range) {
  const n = m.notifier;
  const r = range.notifier;
  const t = n.target;
  const g = n.growth;
  const s = t.stats;
  const out = [];
  out.push('## Alerts: notifier cycle\n');
  out.push(
    `\`@vigil/alerts\`' \`Notifier\` (Alertmanager's job in-process) taking one engine cycle of alerts; an absolute target (Alertmanager is not an embeddable JS library). Setup: a routing tree of ${n.routes} routes (root grouping by \`[alertname, service]\`, groupWait 0s, groupInterval 5m; a regex route, \`severity="critical"\` → pager with \`continue\`, a two-matcher regex route, one route per team (8) each with a child, some regex), ${n.receivers} receivers each with a no-op channel, ${n.inhibitRules} inhibition rules (critical mutes warning with equal [service]; ServiceDown mutes every other alert of its service; a both-sided rule), silences active for 7 days (40 % one instance, 30 % alertname + service, 20 % regex service + regex alertname, 10 % regex instance). Alerts: seeded, shaped like the engine's \`Alert\` (labels alertname, service, instance, severity, team; 2 annotations; state firing), 50 services, 19 alert names with Zipf-like weights, ServiceDown firing in 2 services. Clock and timers: a manual clock of the benchmark (a heap of timers); \`clock.advance()\` runs the groups' flushes synchronously. Scenarios, each in a fresh \`Notifier\`: **first** — fresh alert objects (fingerprints not cached), timed \`ingest(alerts, now)\` + \`advance(0)\` (every group flushes and queues its notification); **steady** — after an untimed first cycle, 1 s before the groups' interval, the same alert objects ingested again + \`advance(1 s)\` (every group flushes; nothing is new, so only the repeats due go — with the default cooldowns, the groups of critical alerts); **resolve** — as steady with every 10th alert resolved. Each alert count in a fresh process; per cell ${n.warmup} warm-up rounds, then ${n.runs} rounds running each scenario once (order rotating), \`gc()\` before each timed cycle; median and min – max. The no-op deliveries (async) are drained after the timed part and timed apart.\n`,
  );
  out.push(`### ${count(n.alerts)} alerts, ${n.silences} silences\n`);
  out.push(
    '| scenario | cycle (median) | min – max | CPU time (info) | ingest | flush | notifications (alerts in them) | deliveries drained after (info) |\n|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const kind of ['first', 'steady', 'resolve']) {
    const c = t[kind];
    out.push(
      `| ${kind} | ${fmtMs(c.medianMs)} | ${fmtMs(c.minMs)} – ${fmtMs(c.maxMs)} | ${fmtMs(c.cpuMs)} | ${fmtMs(c.ingestMs)} | ${fmtMs(c.flushMs)} | ${count(c.notifications)} (${count(c.alertsSent)}) | ${fmtMs(c.drainMs)} |`,
    );
  }
  if (t.firstManual !== undefined) {
    const c = t.firstManual;
    out.push(
      `| first, on \`manualClock()\` of \`@vigil/core/testing\` (info) | ${fmtMs(c.medianMs)} | ${fmtMs(c.minMs)} – ${fmtMs(c.maxMs)} | ${fmtMs(c.cpuMs)} | ${fmtMs(c.ingestMs)} | ${fmtMs(c.flushMs)} | ${count(c.notifications)} (${count(c.alertsSent)}) | ${fmtMs(c.drainMs)} |`,
    );
  }
  out.push('');
  out.push(
    `Groups: ${count(s.groups)}; alerts muted ${count(s.muted)} of ${count(s.alive)} (silenced ${count(s.silenced)}, inhibited ${count(s.inhibited)}). Heap held by the notifier after the first cycle: ${fmtMB(s.heapBytes)} (${count(s.bytesPerAlert)} B per alert; in a fresh process, \`heapUsed\` after \`gc()\` ×4 with the alerts built, before the notifier is and after its first cycle, its deliveries drained: the fingerprints cached on the alerts' label objects count, the alert objects do not). First cycle, median over rounds min – max: ${fmtMs(r.target.first.medianMs[0])} – ${fmtMs(r.target.first.medianMs[1])}.\n`,
  );
  out.push('### Growth: median cycle time by alerts and silences\n');
  out.push('In brackets: groups; alerts muted (silenced or inhibited).\n');
  const table = (title, grid, extra) => {
    out.push(`**${title}**\n`);
    out.push(
      `| alerts \\ silences | ${g.silences.map(count).join(' | ')} |\n|---:|${g.silences.map(() => '---:').join('|')}|`,
    );
    g.alerts.forEach((a, i) => {
      const cells = g.silences.map((_, j) => `${fmtMs(grid[i][j])}${extra ? extra(i, j) : ''}`);
      out.push(`| ${count(a)} | ${cells.join(' | ')} |`);
    });
    out.push('');
  };
  table('first cycle', g.first, (i, j) => ` (${count(g.groups[i][j])}; ${count(g.muted[i][j])})`);
  table('first cycle, CPU time of the process (info)', g.firstCpu);
  table('steady cycle', g.steady);
  table('10 % resolving', g.resolve);
  out.push(
    `Heap held after the first cycle (0 / 50 / 500 silences): ${g.alerts.map((a, i) => `${count(a)} alerts ${g.heapBytes[i].map(fmtMB).join(' / ')}`).join('; ')}.\n`,
  );
  return out.join('\n');
}

/** The notifier part alone (`run.mjs --only=notifier`): its targets and section. */
export function renderNotifierAlone(results) {
  const m = results.median;
  const mc = results.machine;
  const out = [
    `# Vigil benchmarks: notifier alone (${results.rounds} round${results.rounds > 1 ? 's' : ''}${results.quick ? ', QUICK mode' : ''}, ${Math.round(results.durationS)} s)\n`,
    `${mc.date}, Node ${mc.node}, ${mc.cpu} × ${mc.cores}, at ${mc.commit}\n`,
    '| target | Vigil | goal | result |\n|---|---:|---:|---|',
  ];
  for (const t of notifierTargets(m)) {
    out.push(`| ${t.name} | ${t.value} | ${t.target} | ${verdict(t.pass)} |`);
  }
  out.push('');
  out.push(renderNotifier(m, results.range));
  return `${out.join('\n')}\n`;
}

// For profiling and checking the setup (`node --cpu-prof` on a script importing these).
export {
  alertSpecs,
  benchClock,
  freshAlerts,
  INHIBIT_RULES,
  load,
  makeNotifier,
  RECEIVERS,
  resolveTenth,
  routeConfig,
  silenceInputs,
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, arg, arg2] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (mode === 'cell') printJson(await cellPart(Number(arg)));
  else if (mode === 'heap') printJson(await heapPart(Number(arg), Number(arg2)));
  else printJson(main());
}
