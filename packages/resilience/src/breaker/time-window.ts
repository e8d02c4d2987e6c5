import type { TripPolicy, TripReason, WindowSnapshot } from './trip-policy.js';

/**
 * Opens when, over the last `window` ms, at least `minimumCalls` were recorded and the failure
 * rate reaches `failureRate` (or the slow-call rate reaches `slowRate`). The window is a ring of
 * `buckets` buckets of `window / buckets` ms each, so it slides one bucket at a time and its
 * memory is fixed. Reads `clock.now()` once per recorded call.
 */
export class TimeWindow implements TripPolicy {
  readonly kind = 'time';
  readonly #width: number;
  readonly #count: number;
  readonly #minimumCalls: number;
  readonly #failureRate: number;
  readonly #slowRate: number;
  readonly #clock: { now(): number };
  /** Per bucket: calls, failures, slow calls. */
  readonly #calls: Float64Array;
  readonly #failures: Float64Array;
  readonly #slowCalls: Float64Array;
  /** The index (time / width) of the newest bucket; older ones are the previous indexes. */
  #latest = Number.NEGATIVE_INFINITY;
  #totalCalls = 0;
  #totalFailures = 0;
  #totalSlow = 0;

  constructor(
    window: number,
    buckets: number,
    minimumCalls: number,
    failureRate: number,
    slowRate: number,
    clock: { now(): number },
  ) {
    this.#width = window / buckets;
    this.#count = buckets;
    this.#minimumCalls = minimumCalls;
    this.#failureRate = failureRate;
    this.#slowRate = slowRate;
    this.#clock = clock;
    this.#calls = new Float64Array(buckets);
    this.#failures = new Float64Array(buckets);
    this.#slowCalls = new Float64Array(buckets);
  }

  record(failed: boolean, slow: boolean): TripReason | undefined {
    const slot = this.#advance(Math.floor(this.#clock.now() / this.#width));
    (this.#calls[slot] as number)++;
    this.#totalCalls++;
    if (failed) {
      (this.#failures[slot] as number)++;
      this.#totalFailures++;
    }
    if (slow) {
      (this.#slowCalls[slot] as number)++;
      this.#totalSlow++;
    }
    if ((!failed && !slow) || this.#totalCalls < this.#minimumCalls) return undefined;
    if (this.#totalFailures / this.#totalCalls >= this.#failureRate) return 'failures';
    if (this.#totalSlow / this.#totalCalls >= this.#slowRate) return 'slow-calls';
    return undefined;
  }

  reset(): void {
    this.#calls.fill(0);
    this.#failures.fill(0);
    this.#slowCalls.fill(0);
    this.#latest = Number.NEGATIVE_INFINITY;
    this.#totalCalls = 0;
    this.#totalFailures = 0;
    this.#totalSlow = 0;
  }

  snapshot(): WindowSnapshot {
    const buckets: Array<{ start: number; calls: number; failures: number; slow: number }> = [];
    if (this.#latest !== Number.NEGATIVE_INFINITY) {
      this.#advance(Math.floor(this.#clock.now() / this.#width));
      for (let index = this.#latest - this.#count + 1; index <= this.#latest; index++) {
        const slot = this.#slotOf(index);
        const calls = this.#calls[slot] as number;
        if (calls === 0) continue;
        buckets.push({
          start: index * this.#width,
          calls,
          failures: this.#failures[slot] as number,
          slow: this.#slowCalls[slot] as number,
        });
      }
    }
    return { kind: 'time', buckets };
  }

  restore(snapshot: WindowSnapshot): void {
    if (snapshot.kind !== 'time') return;
    this.reset();
    const now = Math.floor(this.#clock.now() / this.#width);
    this.#latest = now;
    for (const bucket of snapshot.buckets) {
      // Placed by its midpoint, so that float rounding of index × width cannot shift it.
      const index = Math.floor((bucket.start + this.#width / 2) / this.#width);
      // Buckets that have slid out of the window (or lie in the future) are dropped.
      if (index > now || index <= now - this.#count) continue;
      const slot = this.#slotOf(index);
      (this.#calls[slot] as number) += bucket.calls;
      (this.#failures[slot] as number) += bucket.failures;
      (this.#slowCalls[slot] as number) += bucket.slow;
      this.#totalCalls += bucket.calls;
      this.#totalFailures += bucket.failures;
      this.#totalSlow += bucket.slow;
    }
  }

  /** Slides the window so that `index` is the newest bucket; returns the slot to record in. */
  #advance(index: number): number {
    const latest = this.#latest;
    // A clock that stepped back records into the newest bucket.
    if (index <= latest) return this.#slotOf(latest);
    const first = Math.max(latest + 1, index - this.#count + 1);
    for (let expired = first; expired <= index; expired++) this.#clear(this.#slotOf(expired));
    this.#latest = index;
    return this.#slotOf(index);
  }

  #clear(slot: number): void {
    this.#totalCalls -= this.#calls[slot] as number;
    this.#totalFailures -= this.#failures[slot] as number;
    this.#totalSlow -= this.#slowCalls[slot] as number;
    this.#calls[slot] = 0;
    this.#failures[slot] = 0;
    this.#slowCalls[slot] = 0;
  }

  #slotOf(index: number): number {
    const slot = index % this.#count;
    return slot < 0 ? slot + this.#count : slot;
  }
}
