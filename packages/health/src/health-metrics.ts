import type { Gauge, GaugeChild, Histogram, HistogramChild, Registry } from '@vigil/core';
import type { CheckResult } from './check-result.js';
import type { HealthReport } from './health-report.js';

/** How a service status is encoded in `vigil_health_status`. */
export const HEALTH_STATUS_VALUE = { healthy: 1, degraded: 0.5, critical: 0 } as const;
/** How a check status is encoded in `vigil_health_check_status`. */
export const CHECK_STATUS_VALUE = { pass: 1, warn: 0.5, fail: 0 } as const;

interface CheckSeries {
  readonly status: GaugeChild;
  readonly duration: HistogramChild;
}

/**
 * @internal A monitor's metrics: `vigil_health_status`, `vigil_health_score`,
 * `vigil_health_check_status{check}`, `vigil_health_check_duration_seconds{check}`. A series
 * appears with its first value: a gauge exported at 0 before any check ran would read as
 * `critical` (or `fail`) and fire alerts on an instance nobody asked yet.
 */
export class HealthMetrics {
  readonly #registry: Registry;
  readonly #checkStatus: Gauge<'check'>;
  readonly #checkDuration: Histogram<'check'>;
  readonly #checks = new Map<string, CheckSeries>();
  #service: { status: Gauge; score: Gauge } | undefined;

  constructor(registry: Registry) {
    this.#registry = registry;
    this.#checkStatus = registry.gauge({
      name: 'vigil_health_check_status',
      help: 'Status of a health check at its last run: 1 pass, 0.5 warn, 0 fail.',
      labelNames: ['check'],
    });
    this.#checkDuration = registry.histogram({
      name: 'vigil_health_check_duration_seconds',
      help: 'Duration of health check runs (a check that timed out counts its timeout).',
      labelNames: ['check'],
      unit: 'seconds',
    });
  }

  /** Records one check's run. */
  recordCheck(result: CheckResult): void {
    const check = result.name;
    let series = this.#checks.get(check);
    if (series === undefined) {
      series = {
        status: this.#checkStatus.labels({ check }),
        duration: this.#checkDuration.labels({ check }),
      };
      this.#checks.set(check, series);
    }
    series.status.set(CHECK_STATUS_VALUE[result.status]);
    series.duration.observe(result.duration / 1000);
  }

  /** Records a full report's status and score. */
  recordReport(report: HealthReport): void {
    this.#service ??= {
      status: this.#registry.gauge({
        name: 'vigil_health_status',
        help: 'Service health from the last full check: 1 healthy, 0.5 degraded, 0 critical.',
      }),
      score: this.#registry.gauge({
        name: 'vigil_health_score',
        help: 'Service health score from the last full check, 0 to 100.',
      }),
    };
    this.#service.status.set(HEALTH_STATUS_VALUE[report.status]);
    this.#service.score.set(report.score);
  }
}
