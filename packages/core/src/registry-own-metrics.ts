import type { Counter } from './counter.js';
import type { Registry } from './registry.js';

/**
 * The registry's own counters of what it dropped and overflowed, registered in it on first use
 * (a registry that never drops anything exposes neither).
 */
export class RegistryOwnMetrics {
  readonly #registry: Registry;
  #invalid: Counter<'metric' | 'reason'> | undefined;
  #overflow: Counter<'metric'> | undefined;

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  /** `vigil_invalid_observations_total{metric,reason}`. */
  invalid(): Counter<'metric' | 'reason'> {
    this.#invalid ??= this.#registry.counter({
      name: 'vigil_invalid_observations_total',
      help: 'Observations dropped because their value or labels were invalid.',
      labelNames: ['metric', 'reason'],
      // Bounded by metrics × reasons; a limit here could overflow into itself.
      maxSeries: Number.MAX_SAFE_INTEGER,
    });
    return this.#invalid;
  }

  /** `vigil_cardinality_overflow_total{metric}`. */
  overflow(): Counter<'metric'> {
    this.#overflow ??= this.#registry.counter({
      name: 'vigil_cardinality_overflow_total',
      help: 'Observations sent to the overflow series because a metric reached its series limit.',
      labelNames: ['metric'],
      maxSeries: Number.MAX_SAFE_INTEGER,
    });
    return this.#overflow;
  }

  /** Forgets `metric` if it is one of these, after it was unregistered: the next use re-registers. */
  forget(metric: object): void {
    if (metric === this.#invalid) this.#invalid = undefined;
    if (metric === this.#overflow) this.#overflow = undefined;
  }

  forgetAll(): void {
    this.#invalid = undefined;
    this.#overflow = undefined;
  }
}
