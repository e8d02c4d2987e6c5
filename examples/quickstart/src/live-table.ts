import type { RegistrySnapshot } from '@vigil/core';

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
}

// `vigil_breaker_state` values, as @vigil/resilience encodes them.
const BREAKER_STATES = ['closed', 'half-open', 'open', 'isolated'];

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

/** Renders a compact table; `rate` is requests per second since the previous frame. */
export function renderTable(figures: KeyFigures, rate: number, elapsedSeconds: number): string {
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
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}
