import type { TripPolicy, TripReason, WindowSnapshot } from './trip-policy.js';

/**
 * Opens after `threshold` failures in a row; any success resets the count. A slow call counts
 * as a failure.
 */
export class ConsecutiveFailures implements TripPolicy {
  readonly kind = 'consecutive';
  readonly #threshold: number;
  #failures = 0;

  constructor(threshold: number) {
    this.#threshold = threshold;
  }

  record(failed: boolean, slow: boolean): TripReason | undefined {
    if (!failed && !slow) {
      this.#failures = 0;
      return undefined;
    }
    if (++this.#failures < this.#threshold) return undefined;
    return failed ? 'failures' : 'slow-calls';
  }

  reset(): void {
    this.#failures = 0;
  }

  snapshot(): WindowSnapshot {
    return { kind: 'consecutive', failures: this.#failures };
  }

  restore(snapshot: WindowSnapshot): void {
    if (snapshot.kind === 'consecutive')
      this.#failures = Math.min(snapshot.failures, this.#threshold - 1);
  }
}
