import type { RuleGroupDefinition } from './rule-definition.js';

/*
 * Ready-made rule groups on Vigil's own metric names, with the thresholds the in-house systems
 * Vigil replaces used. Opt-in: give the ones you want to the engine's `groups`. Each is plain
 * data, so `toPrometheusRules()` exports it for Prometheus too.
 */

/** HTTP servers (`@vigil/http` and its adapters): error rate and latency per route. */
export function httpRules(): RuleGroupDefinition {
  const requests = 'http_server_request_duration_seconds';
  const p95 = `histogram_quantile(0.95, sum by (le, http_route) (rate(${requests}_bucket{error_type!="aborted"}[5m])))`;
  return {
    name: 'vigil-http',
    rules: [
      {
        name: 'HttpErrorRateHigh',
        // A client that went away (error_type="aborted") is not a server error.
        expr: `sum(rate(${requests}_count{error_type!="", error_type!="aborted"}[5m])) / sum(rate(${requests}_count{error_type!="aborted"}[5m])) > 0.1`,
        for: '5m',
        severity: 'critical',
        annotations: {
          summary: '{{ humanizePercentage $value }} of HTTP requests fail (over 10 %)',
        },
      },
      {
        name: 'HttpLatencyHigh',
        expr: `${p95} > 1`,
        for: '5m',
        severity: 'warning',
        annotations: {
          summary: '{{ $labels.http_route }}: p95 {{ humanizeDuration $value }} (over 1 s)',
        },
      },
      {
        name: 'HttpLatencyCritical',
        expr: `${p95} > 5`,
        for: '5m',
        severity: 'critical',
        annotations: {
          summary: '{{ $labels.http_route }}: p95 {{ humanizeDuration $value }} (over 5 s)',
        },
      },
    ],
  };
}

/** Jobs (`@vigil/jobs`): failure rate per type, dead letters, an unreachable shared queue. */
export function jobsRules(): RuleGroupDefinition {
  return {
    name: 'vigil-jobs',
    rules: [
      {
        name: 'JobFailureRateHigh',
        expr: 'sum by (type) (rate(vigil_jobs_total{outcome="failed"}[5m])) / sum by (type) (rate(vigil_jobs_total{outcome=~"completed|failed"}[5m])) > 0.5',
        for: '5m',
        severity: 'critical',
        annotations: {
          summary:
            '{{ $labels.type }}: {{ humanizePercentage $value }} of attempts fail (over 50 %)',
        },
      },
      {
        name: 'JobsDeadLettered',
        expr: 'increase(vigil_jobs_total{outcome="dead_lettered"}[15m]) > 0',
        severity: 'warning',
        annotations: {
          summary: '{{ $labels.type }}: {{ $value }} jobs went to the dead-letter queue',
        },
      },
      {
        name: 'JobsBackendDown',
        expr: 'vigil_jobs_backend_up == 0',
        for: '1m',
        severity: 'critical',
        annotations: { summary: 'the {{ $labels.backend }} job queue is unreachable' },
      },
    ],
  };
}

/** Partners behind circuit breakers (`@vigil/resilience`): failure share and open breakers. */
export function partnerRules(): RuleGroupDefinition {
  return {
    name: 'vigil-partners',
    rules: [
      {
        name: 'PartnerFailureRateHigh',
        expr: 'sum by (breaker) (rate(vigil_breaker_calls_total{outcome=~"failure|timeout"}[5m])) / sum by (breaker) (rate(vigil_breaker_calls_total{outcome=~"success|failure|timeout"}[5m])) > 0.3',
        for: '5m',
        severity: 'warning',
        annotations: {
          summary:
            '{{ $labels.breaker }}: {{ humanizePercentage $value }} of calls fail (over 30 %)',
        },
      },
      {
        name: 'BreakerOpen',
        expr: 'vigil_breaker_state == 2',
        for: '1m',
        severity: 'warning',
        annotations: { summary: 'circuit breaker {{ $labels.breaker }} is open' },
      },
    ],
  };
}

/**
 * Health (`@vigil/health`): the service's score, a failing check, and a check (such as the
 * database's) slower than `slowCheck` seconds (default 0.5: "database response over 500 ms").
 */
export function healthRules(options: { slowCheck?: number } = {}): RuleGroupDefinition {
  const slow = options.slowCheck ?? 0.5;
  return {
    name: 'vigil-health',
    rules: [
      {
        name: 'HealthDegraded',
        expr: 'vigil_health_status < 1',
        for: '2m',
        severity: 'warning',
        annotations: { summary: 'service health is degraded (score {{ $value }})' },
      },
      {
        name: 'HealthScoreLow',
        expr: 'vigil_health_score < 50',
        for: '2m',
        severity: 'critical',
        annotations: { summary: 'service health score {{ $value }} (under 50)' },
      },
      {
        name: 'HealthCheckFailing',
        expr: 'vigil_health_check_status == 0',
        for: '1m',
        severity: 'error',
        annotations: { summary: 'health check {{ $labels.check }} fails' },
      },
      {
        name: 'HealthCheckSlow',
        expr: `histogram_quantile(0.95, sum by (le, check) (rate(vigil_health_check_duration_seconds_bucket[5m]))) > ${slow}`,
        for: '5m',
        severity: 'warning',
        annotations: {
          summary: '{{ $labels.check }} answers in {{ humanizeDuration $value }} (p95)',
        },
      },
    ],
  };
}

/** The process (`collectDefaultMetrics`): CPU, heap, event-loop lag. */
export function processRules(): RuleGroupDefinition {
  const cpu = 'rate(process_cpu_seconds_total[5m])';
  const heap =
    'sum(nodejs_heap_space_size_used_bytes) / (sum(nodejs_heap_space_size_used_bytes) + sum(nodejs_heap_space_size_available_bytes))';
  return {
    name: 'vigil-process',
    rules: [
      {
        name: 'CpuHigh',
        expr: `${cpu} > 0.8`,
        for: '5m',
        severity: 'warning',
        annotations: { summary: 'CPU at {{ humanizePercentage $value }} of a core (over 80 %)' },
      },
      {
        name: 'CpuCritical',
        expr: `${cpu} > 0.95`,
        for: '5m',
        severity: 'critical',
        annotations: { summary: 'CPU at {{ humanizePercentage $value }} of a core (over 95 %)' },
      },
      {
        name: 'MemoryHigh',
        expr: `${heap} > 0.85`,
        for: '5m',
        severity: 'warning',
        annotations: {
          summary: 'heap at {{ humanizePercentage $value }} of its limit (over 85 %)',
        },
      },
      {
        name: 'EventLoopLagHigh',
        expr: 'nodejs_eventloop_lag_seconds > 0.1',
        for: '2m',
        severity: 'warning',
        annotations: { summary: 'event loop lag {{ humanizeDuration $value }} (over 100 ms)' },
      },
    ],
  };
}
