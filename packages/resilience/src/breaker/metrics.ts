import type { CounterChild, GaugeChild, HistogramChild, Registry } from '@vigil/core';

/**
 * How each breaker state is encoded as a gauge value (`vigil_breaker_state`, and the gauges of
 * packages that report their breakers' states, such as `vigil_jobs_breaker_state`).
 */
export const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

/**
 * @internal A breaker's metrics, bound once at construction so that recording a call is a field
 * update: `vigil_breaker_state{breaker}`, `vigil_breaker_calls_total{breaker,outcome}`,
 * `vigil_breaker_call_duration_seconds{breaker}`.
 */
export class BreakerMetrics {
  readonly success: CounterChild;
  readonly failure: CounterChild;
  readonly timeout: CounterChild;
  readonly rejected: CounterChild;
  readonly fallback: CounterChild;
  readonly ignored: CounterChild;
  readonly duration: HistogramChild;
  readonly state: GaugeChild;

  constructor(registry: Registry, breaker: string) {
    const calls = registry.counter({
      name: 'vigil_breaker_calls_total',
      help: 'Calls through a circuit breaker, by outcome (fallback is counted in addition to the failure or rejection it answered).',
      labelNames: ['breaker', 'outcome'],
    });
    this.success = calls.labels({ breaker, outcome: 'success' });
    this.failure = calls.labels({ breaker, outcome: 'failure' });
    this.timeout = calls.labels({ breaker, outcome: 'timeout' });
    this.rejected = calls.labels({ breaker, outcome: 'rejected' });
    this.fallback = calls.labels({ breaker, outcome: 'fallback' });
    this.ignored = calls.labels({ breaker, outcome: 'ignored' });
    this.duration = registry
      .histogram({
        name: 'vigil_breaker_call_duration_seconds',
        help: 'Duration of the calls a circuit breaker let through.',
        labelNames: ['breaker'],
        unit: 'seconds',
      })
      .labels({ breaker });
    this.state = registry
      .gauge({
        name: 'vigil_breaker_state',
        help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open, 3 isolated.',
        labelNames: ['breaker'],
      })
      .labels({ breaker });
  }
}
