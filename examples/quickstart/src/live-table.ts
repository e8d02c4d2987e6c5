import type { RegistrySnapshot } from '@vigil/core';
import type { JobActivity } from './simulated-jobs.js';

/** The figures the demo shows, read from a registry snapshot. */
export interface KeyFigures {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  queueDepth: number;
  /** State of the partner's circuit breaker, and its calls by outcome. */
  partnerBreaker: string;
  partnerCalls: Record<string, number>;
  /** From the default process metrics. */
  residentMemoryBytes: number;
  /** From the `vigil_jobs_*` metrics, by job type. */
  jobs: Record<string, JobFigures>;
}

/** One job type's figures. */
export interface JobFigures {
  /** Attempts that succeeded and that failed, since the start. */
  completed: number;
  failed: number;
  /** Jobs waiting (delayed ones included) and running now. */
  queued: number;
  running: number;
  /** Letters in the dead-letter queue now. */
  deadLetters: number;
  breaker: string;
}

// `vigil_breaker_state` and `vigil_jobs_breaker_state` values, as @vigil/resilience encodes them.
const BREAKER_STATES = ['closed', 'half-open', 'open', 'isolated'];

// The @vigil/jobs gauges, by the figure they give.
const JOB_GAUGES: Record<string, 'queued' | 'running' | 'deadLetters' | undefined> = {
  vigil_jobs_queued: 'queued',
  vigil_jobs_running: 'running',
  vigil_jobs_dead_letters: 'deadLetters',
};

export function keyFigures(snapshot: RegistrySnapshot): KeyFigures {
  let requests = 0;
  let errors = 0;
  const figures: KeyFigures = {
    requests: 0,
    errors: 0,
    p50: NaN,
    p95: NaN,
    p99: NaN,
    queueDepth: 0,
    residentMemoryBytes: NaN,
    partnerBreaker: 'unknown',
    partnerCalls: {},
    jobs: {},
  };
  const job = (type: string | undefined): JobFigures | undefined => {
    if (type === undefined) return undefined;
    figures.jobs[type] ??= {
      completed: 0,
      failed: 0,
      queued: 0,
      running: 0,
      deadLetters: 0,
      breaker: 'unknown',
    };
    return figures.jobs[type];
  };
  for (const metric of snapshot.metrics) {
    if (metric.type === 'counter' && metric.name === 'http_requests_total') {
      for (const series of metric.series) {
        requests += series.value;
        if (series.labels.status?.startsWith('5')) errors += series.value;
      }
    } else if (metric.type === 'summary' && metric.name === 'http_request_latency_seconds') {
      const [p50, p95, p99] = metric.series[0]?.quantiles ?? [];
      figures.p50 = p50 ?? NaN;
      figures.p95 = p95 ?? NaN;
      figures.p99 = p99 ?? NaN;
    } else if (metric.type === 'gauge' && metric.name === 'work_queue_depth') {
      figures.queueDepth = metric.series[0]?.value ?? 0;
    } else if (metric.type === 'gauge' && metric.name === 'vigil_breaker_state') {
      const value = metric.series.find((s) => s.labels.breaker === 'partner')?.value;
      figures.partnerBreaker = BREAKER_STATES[value ?? -1] ?? 'unknown';
    } else if (metric.type === 'gauge' && metric.name === 'vigil_jobs_breaker_state') {
      for (const series of metric.series) {
        const figure = job(series.labels.type);
        if (figure !== undefined) figure.breaker = BREAKER_STATES[series.value] ?? 'unknown';
      }
    } else if (metric.type === 'counter' && metric.name === 'vigil_jobs_total') {
      for (const series of metric.series) {
        const figure = job(series.labels.type);
        if (figure === undefined) continue;
        if (series.labels.outcome === 'completed') figure.completed = series.value;
        else if (series.labels.outcome === 'failed') figure.failed = series.value;
      }
    } else if (metric.type === 'gauge' && JOB_GAUGES[metric.name] !== undefined) {
      const field = JOB_GAUGES[metric.name] as 'queued' | 'running' | 'deadLetters';
      for (const series of metric.series) {
        const figure = job(series.labels.type);
        if (figure !== undefined) figure[field] = series.value;
      }
    } else if (metric.type === 'counter' && metric.name === 'vigil_breaker_calls_total') {
      for (const series of metric.series) {
        const outcome = series.labels.outcome;
        if (series.labels.breaker === 'partner' && outcome !== undefined && series.value > 0) {
          figures.partnerCalls[outcome] = series.value;
        }
      }
    } else if (metric.type === 'gauge' && metric.name === 'process_resident_memory_bytes') {
      figures.residentMemoryBytes = metric.series[0]?.value ?? NaN;
    }
  }
  return { ...figures, requests, errors };
}

/**
 * Renders a compact table; `rate` is requests per second since the previous frame. With job
 * figures, a row per job type follows, with its latest progress from `activity`, then the
 * replay of the dead letters.
 */
export function renderTable(
  figures: KeyFigures,
  rate: number,
  elapsedSeconds: number,
  activity?: JobActivity,
): string {
  const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
  const errorRate = figures.requests === 0 ? 0 : (figures.errors / figures.requests) * 100;
  const rows: Array<[string, string]> = [
    ['elapsed', `${elapsedSeconds.toFixed(0)} s`],
    ['requests', `${figures.requests}`],
    ['rate', `${rate.toFixed(0)} req/s`],
    ['errors (5xx)', `${figures.errors} (${errorRate.toFixed(2)} %)`],
    ['latency p50', ms(figures.p50)],
    ['latency p95', ms(figures.p95)],
    ['latency p99', ms(figures.p99)],
    ['queue depth', `${figures.queueDepth}`],
    ['partner breaker', figures.partnerBreaker],
    [
      'partner calls',
      Object.entries(figures.partnerCalls)
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(', ') || '-',
    ],
    ['resident memory', `${(figures.residentMemoryBytes / 2 ** 20).toFixed(1)} MiB`],
    ...jobRows(figures.jobs, activity),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

// The job columns: heading and width.
const JOB_COLUMNS = [
  ['done', 5],
  ['failed', 6],
  ['waiting', 7],
  ['running', 7],
  ['dead letters', 12],
] as const;

function jobRows(
  figures: Record<string, JobFigures>,
  activity: JobActivity | undefined,
): Array<[string, string]> {
  const types = Object.entries(figures);
  if (types.length === 0) return [];
  const columns = (values: readonly (number | string)[], breaker: string, progress: string) =>
    [
      ...JOB_COLUMNS.map(([, width], i) => `${values[i]}`.padStart(width)),
      breaker.padEnd(9),
      progress,
    ].join('  ');
  const rows: Array<[string, string]> = [
    [
      'jobs',
      columns(
        JOB_COLUMNS.map(([heading]) => heading),
        'breaker',
        'progress',
      ),
    ],
  ];
  for (const [type, job] of types) {
    const progress = activity?.progress[type];
    const percent = progress === undefined ? '-' : `${(progress.fraction * 100).toFixed(0)} %`;
    rows.push([
      `  ${type}`,
      columns(
        [job.completed, job.failed, job.queued, job.running, job.deadLetters],
        job.breaker,
        progress?.message === undefined ? percent : `${percent} ${progress.message}`,
      ),
    ]);
  }
  const replay = activity?.replay;
  if (activity !== undefined) {
    rows.push([
      'replay',
      replay === undefined
        ? '-'
        : `${replay.replayed} dead letters replayed: ${replay.succeeded} succeeded` +
          (replay.failed === 0 ? '' : `, ${replay.failed} failed again`),
    ]);
  }
  return rows;
}
