/** A fixed-capacity ring of numbers in a `Float64Array`: pushing past capacity drops the oldest. */
export class RingBuffer {
  readonly capacity: number;
  readonly #values: Float64Array;
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#values = new Float64Array(capacity);
  }

  /** Values held, at most `capacity`. */
  get size(): number {
    return this.#size;
  }

  /** Adds `value`; returns the value it replaced, or undefined while not full. */
  push(value: number): number | undefined {
    const evicted = this.#size === this.capacity ? this.#values[this.#next] : undefined;
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
    return evicted;
  }

  /**
   * Copies the newest `count` values (all by default), oldest first, into `target` from index 0;
   * returns how many were copied.
   */
  copyNewest(target: Float64Array, count = this.#size): number {
    const n = Math.min(count, this.#size, target.length);
    const start = (this.#next - n + this.capacity) % this.capacity;
    const firstPart = Math.min(n, this.capacity - start);
    target.set(this.#values.subarray(start, start + firstPart), 0);
    if (firstPart < n) target.set(this.#values.subarray(0, n - firstPart), firstPart);
    return n;
  }

  /** Empties the buffer. */
  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}
