/**
 * @internal At most `max` starts in any window of `interval` ms: a ring of the last `max` start
 * times. A start is allowed when the oldest of them is at least `interval` old: exact, O(1).
 */
export class RateWindow {
  readonly #starts: Float64Array;
  readonly #interval: number;
  #next = 0;

  constructor(max: number, interval: number) {
    this.#starts = new Float64Array(max).fill(Number.NEGATIVE_INFINITY);
    this.#interval = interval;
  }

  /** When the next start is allowed: `now` or later. */
  allowedAt(now: number): number {
    const oldest = this.#starts[this.#next] as number;
    return Math.max(now, oldest + this.#interval);
  }

  record(now: number): void {
    this.#starts[this.#next] = now;
    this.#next = (this.#next + 1) % this.#starts.length;
  }
}
