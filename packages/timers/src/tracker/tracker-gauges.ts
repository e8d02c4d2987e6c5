import type { Counter, Gauge, Registry } from '@vigil/core';
import type { Baseline } from './baselines.js';
import type { WindowSummary } from './operation-state.js';
import type { Trend } from './trend.js';

const TREND_VALUE: Record<Trend, number> = { improving: -1, stable: 0, degrading: 1 };
const SEVERITY_VALUE = { none: 0, warning: 1, critical: 2 } as const;

/** What one evaluation of an operation found, for its gauges. */
export interface GaugeUpdate {
  recent: WindowSummary;
  successRate: number;
  trend: Trend;
  regressed: boolean;
  severity: keyof typeof SEVERITY_VALUE;
}

/** The tracker's `vigil_performance_*` gauges, set when an operation is evaluated. */
export class TrackerGauges {
  readonly #baseline: Gauge<'operation' | 'quantile'>;
  readonly #recent: Gauge<'operation' | 'quantile'>;
  readonly #success: Gauge<'operation'>;
  readonly #trend: Gauge<'operation'>;
  readonly #regressed: Gauge<'operation'>;
  readonly #bottleneck: Gauge<'operation'>;
  readonly #ignored: Counter;

  constructor(registry: Registry, maxOperations: number) {
    const perQuantile = maxOperations * 2;
    this.#baseline = registry.gauge({
      name: 'vigil_performance_baseline_seconds',
      help: 'Baseline duration of each tracked operation, by quantile (0.5, 0.95).',
      labelNames: ['operation', 'quantile'],
      maxSeries: perQuantile,
    });
    this.#recent = registry.gauge({
      name: 'vigil_performance_recent_seconds',
      help: 'Duration of each tracked operation over its recent window, by quantile (0.5, 0.95).',
      labelNames: ['operation', 'quantile'],
      maxSeries: perQuantile,
    });
    this.#success = registry.gauge({
      name: 'vigil_performance_success_ratio',
      help: 'Share of successful executions of each tracked operation over its recent window.',
      labelNames: ['operation'],
      maxSeries: maxOperations,
    });
    this.#trend = registry.gauge({
      name: 'vigil_performance_trend',
      help: 'Trend of each tracked operation: -1 improving, 0 stable, 1 degrading.',
      labelNames: ['operation'],
      maxSeries: maxOperations,
    });
    this.#regressed = registry.gauge({
      name: 'vigil_performance_regressed',
      help: '1 when an operation regressed against its baseline at its last evaluation, else 0.',
      labelNames: ['operation'],
      maxSeries: maxOperations,
    });
    this.#bottleneck = registry.gauge({
      name: 'vigil_performance_bottleneck',
      help: 'Bottleneck severity of each tracked operation: 0 none, 1 warning, 2 critical.',
      labelNames: ['operation'],
      maxSeries: maxOperations,
    });
    this.#ignored = registry.counter({
      name: 'vigil_performance_ignored_operations_total',
      help: 'Executions not tracked because the tracker already held maxOperations operations.',
    });
  }

  setBaseline(operation: string, baseline: Baseline): void {
    this.#baseline.set({ operation, quantile: '0.5' }, baseline.p50);
    this.#baseline.set({ operation, quantile: '0.95' }, baseline.p95);
  }

  update(operation: string, update: GaugeUpdate): void {
    if (update.recent.count > 0) {
      this.#recent.set({ operation, quantile: '0.5' }, update.recent.p50);
      this.#recent.set({ operation, quantile: '0.95' }, update.recent.p95);
    }
    if (!Number.isNaN(update.successRate)) this.#success.set({ operation }, update.successRate);
    this.#trend.set({ operation }, TREND_VALUE[update.trend]);
    this.#regressed.set({ operation }, update.regressed ? 1 : 0);
    this.#bottleneck.set({ operation }, SEVERITY_VALUE[update.severity]);
  }

  ignored(): void {
    this.#ignored.inc();
  }

  remove(operation: string): void {
    for (const quantile of ['0.5', '0.95']) {
      this.#baseline.remove({ operation, quantile });
      this.#recent.remove({ operation, quantile });
    }
    this.#success.remove({ operation });
    this.#trend.remove({ operation });
    this.#regressed.remove({ operation });
    this.#bottleneck.remove({ operation });
  }
}
