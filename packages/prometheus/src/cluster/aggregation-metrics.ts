import { type Clock, type Counter, type Gauge, Registry } from '@vigil/core';
import type { MismatchReason } from './accumulator.js';

/** Why a worker was left out of a scrape. */
export type LeftOutReason = 'timeout' | 'exited' | 'invalid' | 'failed';

/**
 * @internal The aggregator's own metrics, in a registry of their own that is appended to every
 * aggregate (after the merge, so a scrape shows its own left-outs and mismatches).
 */
export class AggregationMetrics {
  readonly registry: Registry;
  readonly #leftOut: Counter<'reason'>;
  readonly #mismatches: Counter<'metric' | 'reason'>;
  readonly #workers: Gauge;
  readonly #scrapes: Counter;

  constructor(clock: Clock) {
    const registry = new Registry({ clock });
    this.registry = registry;
    this.#scrapes = registry.counter({
      name: 'vigil_aggregation_scrapes_total',
      help: 'Scrapes of the workers the aggregator ran (concurrent callers share one).',
    });
    this.#workers = registry.gauge({
      name: 'vigil_aggregation_workers',
      help: 'Workers whose snapshot the last scrape merged.',
    });
    this.#leftOut = registry.counter({
      name: 'vigil_aggregation_workers_left_out_total',
      help: 'Workers left out of a scrape: timeout (no answer in time), exited (died mid-scrape), invalid (a malformed snapshot), failed (could not be asked, or could not snapshot).',
      labelNames: ['reason'],
    });
    this.#mismatches = registry.counter({
      name: 'vigil_aggregation_mismatches_total',
      help: 'Metrics the workers reported differently (type, histogram bounds, sketch scale), taken from the first worker only.',
      labelNames: ['metric', 'reason'],
    });
    for (const reason of ['timeout', 'exited', 'invalid', 'failed'] as const) {
      this.#leftOut.labels({ reason });
    }
  }

  scraped(workers: number): void {
    this.#scrapes.inc();
    this.#workers.set(workers);
  }

  leftOut(reason: LeftOutReason): void {
    this.#leftOut.inc({ reason });
  }

  mismatch(metric: string, reason: MismatchReason): void {
    this.#mismatches.inc({ metric, reason });
  }
}
