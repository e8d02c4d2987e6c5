// The report's sections for @vigil/jobs: jobs.mjs (throughput vs p-limit and p-queue, heap per
// queued job, and the SQLite backend beside an fsync'd append-only log) and jobs-bullmq.mjs (the
// BullMQ backend vs a raw BullMQ Worker).
import { fmtBytes, fmtMs, fmtOps, fmtRatio, verdict } from './format.mjs';

/** Thousands with one decimal below 100 k (the fsync'd log runs at a few k/s). */
const fmtK = (v) => (v >= 1e5 ? fmtOps(v) : `${(v / 1e3).toFixed(1)} k`);
const fmtJobs = (v) => `${fmtK(v)} jobs/s`;
const count = (v) => v.toLocaleString('en-US');
const fmtUs = (v) => `${v.toFixed(v < 10 ? 2 : 0)} µs`;

/** The jobs targets of their issue, on the medians. */
export function jobsTargets(m) {
  const { throughput: t, heap: h, sqlite: s } = m.jobs;
  const heapRatio = h.bytesPerJob.vigil / h.bytesPerJob.pQueue;
  return [
    {
      name: `jobs: \`run\` + \`result\`, ${count(t.jobs)} no-op jobs at concurrency ${t.concurrency}, metrics on, vs p-limit`,
      value: fmtRatio(t.ratio.runVsPLimit),
      target: '≥ 1×',
      pass: t.ratio.runVsPLimit >= 1,
    },
    {
      name: `jobs: \`run\` + \`result\`, ${count(t.jobs)} no-op jobs at concurrency ${t.concurrency}, metrics on, vs p-queue`,
      value: fmtRatio(t.ratio.runVsPQueue),
      target: '≥ 1.4×',
      pass: t.ratio.runVsPQueue >= 1.4,
    },
    {
      name: `jobs: \`enqueue\` + \`drained\` (results not awaited), vs p-limit`,
      value: fmtRatio(t.ratio.enqueueVsPLimit),
      target: '≥ 1×',
      pass: t.ratio.enqueueVsPLimit >= 1,
    },
    {
      name: `jobs: \`enqueue\` + \`drained\` vs p-queue \`add\` + \`onIdle\` (neither awaits results)`,
      value: fmtRatio(t.ratio.enqueueVsPQueue),
      target: '≥ 1.4×',
      pass: t.ratio.enqueueVsPQueue >= 1.4,
    },
    {
      name: `jobs: heap per queued job vs p-queue (${count(h.jobs)} queued, \`{ id }\` payloads)`,
      value: `${fmtRatio(heapRatio)} (${fmtBytes(h.bytesPerJob.vigil)})`,
      target: '≤ 1×',
      pass: heapRatio <= 1,
    },
    {
      name: `jobs: SQLite backend, enqueue + run ${count(s.jobs)} no-op jobs, every acknowledgement durable`,
      value: s.available ? fmtJobs(s.vigil.jobsPerSecond) : 'not available',
      target: '≥ 50 k jobs/s',
      pass: s.available ? s.vigil.jobsPerSecond >= 50_000 : null,
    },
  ];
}

export function renderJobs(m, range) {
  const j = m.jobs;
  const r = range.jobs;
  const t = j.throughput;
  const out = [];
  out.push(
    `## Jobs: ${count(t.jobs)} no-op jobs at concurrency ${t.concurrency}, vs p-limit and p-queue\n`,
  );
  out.push(
    `One process; the same handler \`() => undefined\` and the same id array for every library. Vigil: \`new JobRunner({ registry, concurrency: ${t.concurrency}, types: { noop: { handler, concurrency: ${t.concurrency} } } })\` on the memory backend with metrics (a \`Registry\`) and its other defaults (the runner's own performance tracker, a circuit breaker per type), written both ways a user would: \`Promise.all(ids.map(() => jobs.run('noop', null).result))\` (\`run\` answers the job's handle at once), and \`jobs.enqueue('noop', null)\` for each then waiting for the \`drained\` event. p-limit: \`Promise.all(ids.map(() => limit(() => noop())))\`. p-queue: \`queue.add(noop)\` for each, then \`await queue.onIdle()\`. A fresh runner / limiter / queue per measurement, built (the runner opened) before the clock starts, \`gc()\` before each, the clock stops when every job has completed. After a warm-up of each, ${t.rounds} rounds measure every variant once, the order reversed every other round; jobs/s is the median over the rounds, a ratio the median of the rounds' ratios (then the median over the runs).\n`,
  );
  out.push(
    '| variant | jobs/s (median) | min – max over runs | Vigil `run` ÷ variant | Vigil `enqueue` ÷ variant |\n|---|---:|---:|---:|---:|',
  );
  for (const [key, label, runRatio, enqueueRatio] of [
    ['vigilRun', 'Vigil `run` + `result`, `Promise.all`'],
    ['vigilEnqueue', 'Vigil `enqueue`, then `drained` (info)'],
    ['pLimit', 'p-limit 7 `limit(() => noop())`, `Promise.all`', 'runVsPLimit', 'enqueueVsPLimit'],
    ['pQueue', 'p-queue 9 `queue.add(noop)`, `onIdle()`', 'runVsPQueue', 'enqueueVsPQueue'],
  ]) {
    const [lo, hi] = r.throughput.jobsPerSecond[key];
    const ratio = (name) => (name === undefined ? '' : fmtRatio(t.ratio[name]));
    out.push(
      `| ${label} | ${fmtJobs(t.jobsPerSecond[key])} | ${fmtK(lo)} – ${fmtK(hi)} | ${ratio(runRatio)} | ${ratio(enqueueRatio)} |`,
    );
  }
  out.push('');

  const h = j.heap;
  out.push('### Heap per queued job\n');
  out.push(
    `${count(h.jobs)} jobs queued behind one that does not settle (concurrency 1, every handler awaits one gate), each with a payload \`{ id: i }\` built before the baseline and kept (excluded for every library), the promise each call returns not kept: \`process.memoryUsage().heapUsed\` delta after \`gc()\` ×4 ÷ ${count(h.jobs)}. Vigil \`jobs.enqueue('job', payload)\` (metrics on); p-queue \`queue.add(() => work(payload))\`; p-limit \`limit(() => work(payload))\`. A first fill of ${count(h.jobs / 10)} jobs on another runner / queue compiles the code paths. One library per process, ${h.runs} process${h.runs > 1 ? 'es' : ''} per library (alternating), the median.\n`,
  );
  out.push(
    '| library | bytes per queued job (median) | min – max over runs | Vigil ÷ library |\n|---|---:|---:|---:|',
  );
  for (const [key, label] of [
    ['vigil', 'Vigil `enqueue`'],
    ['pQueue', 'p-queue 9 `add`'],
    ['pLimit', 'p-limit 7 `limit` (info)'],
  ]) {
    const [lo, hi] = r.heap.bytesPerJob[key];
    const ratio = key === 'vigil' ? '' : fmtRatio(h.bytesPerJob.vigil / h.bytesPerJob[key]);
    out.push(
      `| ${label} | ${fmtBytes(h.bytesPerJob[key])} | ${fmtBytes(lo)} – ${fmtBytes(hi)} | ${ratio} |`,
    );
  }
  out.push('');

  const s = j.sqlite;
  out.push('### SQLite backend: durable enqueue + run\n');
  out.push(
    `Vigil: the runner above with \`backend: sqliteBackend({ path })\` (a fresh file in the temp folder per measurement), ${count(s.jobs)} \`jobs.enqueue('noop', null)\` at once, each resolving once its job is durable; timed until every job has run (\`drained\`), after a warm-up of ${count(s.jobs / 10)} jobs; \`close()\` (which commits the completions still pending) is timed apart. The floor the issue quotes: an append-only log file, one JSON line per job with \`fs.writeSync\`, \`fs.fsyncSync\` after every job (${count(s.logPerJob.jobs)} jobs) or after every 100 (${count(s.logPer100.jobs)} jobs); the issue's machine: ≈ 7.6 k/s and ≈ 243 k/s. ${s.rounds} rounds, alternating.${s.tmpfs ? ' **The temp folder is on tmpfs: fsync returns at once there, and these figures mean nothing.**' : ''}\n`,
  );
  out.push('| variant | median | min – max over runs |\n|---|---:|---:|');
  if (s.available) {
    const v = r.sqlite.vigil;
    out.push(
      `| Vigil \`sqliteBackend\`: enqueue + run | ${fmtJobs(s.vigil.jobsPerSecond)} | ${fmtK(v.jobsPerSecond[0])} – ${fmtK(v.jobsPerSecond[1])} |`,
      `| Vigil \`sqliteBackend\`: every \`enqueue\` acknowledged (info) | ${fmtJobs(s.vigil.ackedPerSecond)} | ${fmtK(v.ackedPerSecond[0])} – ${fmtK(v.ackedPerSecond[1])} |`,
      `| Vigil \`close()\` after the run (info) | ${fmtMs(s.vigil.closeMs)} | ${fmtMs(v.closeMs[0])} – ${fmtMs(v.closeMs[1])} |`,
    );
  } else {
    out.push(`| Vigil \`sqliteBackend\`: not available (${s.reason}) | | |`);
  }
  for (const [key, label] of [
    ['logPerJob', 'log, `writeSync` + `fsyncSync` per job (floor)'],
    ['logPer100', 'log, `writeSync` per job, `fsyncSync` every 100 jobs'],
  ]) {
    const [lo, hi] = r.sqlite[key].jobsPerSecond;
    out.push(`| ${label} | ${fmtJobs(s[key].jobsPerSecond)} | ${fmtK(lo)} – ${fmtK(hi)} |`);
  }
  out.push('');
  return out.join('\n');
}

/** The BullMQ target of its issue, on the medians. */
export function jobsBullmqTargets(m) {
  const b = m.jobsBullmq;
  return [
    {
      name: `jobs: BullMQ backend, ${count(b.jobs)} no-op jobs at concurrency ${b.concurrency}, vs a raw BullMQ Worker`,
      value: fmtRatio(b.ratio),
      target: '≤ 1.2×',
      pass: b.ratio <= 1.2,
    },
  ];
}

/** `raw`: every run's figures, for the min – max over every round of every run. */
export function renderJobsBullmq(m, range, raw) {
  const b = m.jobsBullmq;
  const r = range.jobsBullmq;
  const rounds = raw.flatMap((run) => run.jobsBullmq.perRound);
  const spread = (values, fmt) => `${fmt(Math.min(...values))} – ${fmt(Math.max(...values))}`;
  const out = [];
  out.push(
    `## Jobs on BullMQ: ${count(b.jobs)} no-op jobs at concurrency ${b.concurrency}, vs a raw BullMQ Worker\n`,
  );
  out.push(
    `One process, one Redis ${b.redis} of \`scripts/redis.sh\` started for the part on 127.0.0.1 (AOF on, \`appendfsync everysec\`, \`noeviction\`; data in a temp folder, stopped after), bullmq ${b.bullmq} for both (the same module). Vigil: \`new JobRunner({ concurrency: ${b.concurrency}, types: { noop: { handler, concurrency: ${b.concurrency} } }, backend: bullmqBackend({ url, prefix }) })\` (no registry: metrics off; its other defaults: a circuit breaker per type, the runner's performance tracker), \`jobs.enqueue('noop', null)\` for each job; its jobs are added with a job id, a priority (every Vigil job sits in BullMQ's prioritized set), \`attempts\`, \`backoff\` and \`removeOnComplete: true\`. Raw: a BullMQ \`Queue\` and a \`Worker('noop', handler, { concurrency: ${b.concurrency} })\`, each on its own ioredis client (as the backend makes them; the worker duplicates its client for blocking reads), \`queue.add('noop', null, { removeOnComplete: true, removeOnFail: true })\` for each job. The same handler \`() => undefined\` for both. Per measurement: a fresh key prefix; the runner / worker and queue built and ready before the clock starts, \`gc()\`; the clock runs from the first add (${count(b.jobs)} adds issued at once, awaited with \`Promise.all\`) until every job has completed (Vigil: the runner's \`completed\` events, which come once a handler's outcome is known, before BullMQ records it: in Vigil's favour by at most the last job's round trip; raw: the worker's, after BullMQ recorded it) and every add has been acknowledged; then (not timed) the runner / worker closed, the queue checked empty and its keys deleted. CPU per job: this process's \`process.cpuUsage()\` (user + system) over the timed span ÷ jobs; Redis's \`used_cpu_user + used_cpu_sys\` (\`INFO cpu\`) over the same span ÷ jobs. After a warm-up of each, ${b.rounds} rounds measure each variant once, the order reversed every other round; jobs/s and CPU are medians over the rounds, the ratio is the median of the rounds' Vigil time ÷ raw time (then the median over the runs). The issue measured the raw worker at ≈ 10 k jobs/s.\n`,
  );
  out.push(
    '| variant | jobs/s (median) | min – max over all rounds | every add acknowledged (info) | CPU of this process per job (info) | Redis CPU per job (info) | Vigil time ÷ variant |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [key, label] of [
    ['vigil', 'Vigil `bullmqBackend`, `enqueue`'],
    ['raw', `raw BullMQ ${b.bullmq} \`Queue.add\` + \`Worker\``],
  ]) {
    const v = b[key];
    const ratio = key === 'raw' ? fmtRatio(b.ratio) : '';
    out.push(
      `| ${label} | ${fmtJobs(v.jobsPerSecond)} | ${spread(
        rounds.map((round) => round[key]),
        fmtK,
      )} | ${fmtJobs(v.ackedPerSecond)} | ${fmtUs(v.cpuUsPerJob)} (${spread(r[key].cpuUsPerJob, fmtUs)}) | ${fmtUs(v.redisCpuUsPerJob)} | ${ratio} |`,
    );
  }
  out.push('');
  out.push(
    `Vigil time ÷ raw time over all ${rounds.length} rounds: ${spread(
      rounds.map((round) => round.ratio),
      fmtRatio,
    )}; CPU min – max over runs (medians of a run).\n`,
  );
  return out.join('\n');
}

/** The jobs parts alone (`run.mjs --only=jobs`, `jobsBullmq` or both): targets and sections. */
export function renderJobsAlone(results) {
  const m = results.median;
  const mc = results.machine;
  const parts = ['jobs', 'jobsBullmq'].filter((name) => m[name] !== undefined);
  const out = [
    `# Vigil benchmarks: ${parts.join(' and ')} alone (${results.rounds} round${results.rounds > 1 ? 's' : ''}${results.quick ? ', QUICK mode' : ''}, ${Math.round(results.durationS)} s)\n`,
    `${mc.date}, Node ${mc.node}, ${mc.cpu} × ${mc.cores}, at ${mc.commit}\n`,
    '| target | Vigil | goal | result |\n|---|---:|---:|---|',
  ];
  const targets = [
    ...(m.jobs === undefined ? [] : jobsTargets(m)),
    ...(m.jobsBullmq === undefined ? [] : jobsBullmqTargets(m)),
  ];
  for (const t of targets)
    out.push(`| ${t.name} | ${t.value} | ${t.target} | ${verdict(t.pass)} |`);
  out.push('');
  if (m.jobs !== undefined) out.push(renderJobs(m, results.range));
  if (m.jobsBullmq !== undefined) out.push(renderJobsBullmq(m, results.range, results.raw));
  return `${out.join('\n')}\n`;
}
