import type { TripPolicy, TripReason, WindowSnapshot } from './trip-policy.js';

const FAILED = 1;
const SLOW = 2;

/**
 * Opens when, over the last `size` calls (a ring buffer), at least `minimumCalls` were recorded
 * and the failure rate reaches `failureRate`, or the slow-call rate reaches `slowRate`.
 */
export class CountWindow implements TripPolicy {
  readonly kind = 'count';
  readonly #outcomes: Uint8Array;
  readonly #minimumCalls: number;
  readonly #failureRate: number;
  readonly #slowRate: number;
  #next = 0;
  #calls = 0;
  #failures = 0;
  #slow = 0;

  constructor(size: number, minimumCalls: number, failureRate: number, slowRate: number) {
    this.#outcomes = new Uint8Array(size);
    this.#minimumCalls = minimumCalls;
    this.#failureRate = failureRate;
    this.#slowRate = slowRate;
  }

  record(failed: boolean, slow: boolean): TripReason | undefined {
    const outcomes = this.#outcomes;
    const at = this.#next;
    if (this.#calls === outcomes.length) {
      const old = outcomes[at] as number;
      this.#failures -= old & FAILED;
      this.#slow -= old >> 1;
    } else {
      this.#calls++;
    }
    outcomes[at] = (failed ? FAILED : 0) | (slow ? SLOW : 0);
    this.#next = at + 1 === outcomes.length ? 0 : at + 1;
    if (failed) this.#failures++;
    if (slow) this.#slow++;
    if ((!failed && !slow) || this.#calls < this.#minimumCalls) return undefined;
    // Divide rather than multiply: 3 / 10 >= 0.3 holds, 3 >= 0.3 * 10 does not.
    if (this.#failures / this.#calls >= this.#failureRate) return 'failures';
    if (this.#slow / this.#calls >= this.#slowRate) return 'slow-calls';
    return undefined;
  }

  reset(): void {
    this.#outcomes.fill(0);
    this.#next = 0;
    this.#calls = 0;
    this.#failures = 0;
    this.#slow = 0;
  }

  snapshot(): WindowSnapshot {
    const size = this.#outcomes.length;
    const start = this.#calls === size ? this.#next : 0;
    const outcomes: number[] = [];
    for (let i = 0; i < this.#calls; i++)
      outcomes.push(this.#outcomes[(start + i) % size] as number);
    return { kind: 'count', outcomes };
  }

  restore(snapshot: WindowSnapshot): void {
    if (snapshot.kind !== 'count') return;
    this.reset();
    // A smaller window keeps the most recent outcomes; replaying never trips (the breaker
    // evaluates on the next call).
    for (const outcome of snapshot.outcomes.slice(-this.#outcomes.length)) {
      const at = this.#next;
      this.#outcomes[at] = outcome;
      this.#next = at + 1 === this.#outcomes.length ? 0 : at + 1;
      this.#calls++;
      this.#failures += outcome & FAILED;
      this.#slow += outcome >> 1;
    }
  }
}
