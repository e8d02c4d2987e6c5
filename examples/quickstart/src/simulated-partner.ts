import type { Registry } from '@vigil/core';
import { CircuitBreaker } from '@vigil/resilience';
import { createTimers, measure } from '@vigil/timers';

/** When the pretend partner API is down, in seconds since the start of the demo. */
const OUTAGE = { from: 3, to: 6 };

/**
 * A pretend partner API called every 20 ms through a circuit breaker, each call timed with the
 * api timer group. It goes down for three seconds: the breaker opens, rejects calls without
 * waiting for the partner, probes it after one second, and closes once it is back.
 */
export class SimulatedPartner {
  readonly breaker: CircuitBreaker;
  readonly #timers;
  readonly #startedAt: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;

  constructor(registry: Registry, now: () => number = () => Date.now()) {
    this.breaker = new CircuitBreaker({
      name: 'partner',
      registry,
      policy: { kind: 'count', size: 20, minimumCalls: 10, failureRate: 0.5 },
      resetTimeout: '1s',
    });
    this.#timers = createTimers(registry);
    this.#startedAt = now();
    this.#now = now;
  }

  start(): void {
    this.#timer = setInterval(() => void this.call().catch(() => {}), 20);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.breaker.close();
  }

  /** One call to the partner, through the breaker, timed as `GET /partner/quote`. */
  call(): Promise<number> {
    return measure(this.#timers.bindApi('/partner/quote', 'GET'), () =>
      this.breaker.execute(() => this.#partner()),
    );
  }

  /** Whether the partner answers now: false during its outage. */
  available(): boolean {
    const elapsed = (this.#now() - this.#startedAt) / 1000;
    return elapsed < OUTAGE.from || elapsed >= OUTAGE.to;
  }

  async #partner(): Promise<number> {
    if (!this.available()) throw new Error('partner unavailable');
    return 42;
  }
}
