import type { Aggregation } from '@vigil/storage';
import { bucketStart } from '@vigil/storage/adapter';

/**
 * What a range read fetches of each rollup row: only the columns the aggregation needs (reading
 * fewer columns is what makes a wide query fast). `x` is the value folded; `y` the count (avg)
 * or the time of `last`.
 */
export const FOLDED_COLUMNS: Readonly<Record<Aggregation, string>> = {
  avg: 'sum, count',
  sum: 'sum',
  min: 'min',
  max: 'max',
  last: 'last, last_at',
};

/**
 * Downsamples one series into buckets of `step`, from parts (raw points or rollup rows) that
 * arrive in time order: a bucket is finished as soon as a part of a later one arrives, so the fold
 * needs no map and no sort, and allocates only the output. Each part is `(x, y)` as in
 * `FOLDED_COLUMNS`; a raw point of value v at t is `(v, 1)` for avg and `(v, t)` for last.
 */
export class StepFold {
  readonly #step: number;
  readonly #aggregation: Aggregation;
  #start = Number.NaN;
  #x = 0;
  #y = 0;
  readonly points: Array<readonly [number, number]> = [];

  constructor(step: number, aggregation: Aggregation) {
    this.#step = step;
    this.#aggregation = aggregation;
  }

  /** Folds in a raw point. */
  point(timestamp: number, value: number): void {
    this.add(timestamp, value, this.#aggregation === 'last' ? timestamp : 1);
  }

  /** Folds in one part; `at` is its time (a point's timestamp or a rollup bucket's start). */
  add(at: number, x: number, y: number): void {
    const start = bucketStart(at, this.#step);
    if (start !== this.#start) {
      this.#flush();
      this.#start = start;
      this.#x = x;
      this.#y = y;
      return;
    }
    switch (this.#aggregation) {
      case 'avg':
        this.#x += x;
        this.#y += y;
        break;
      case 'sum':
        this.#x += x;
        break;
      case 'min':
        if (x < this.#x) this.#x = x;
        break;
      case 'max':
        if (x > this.#x) this.#x = x;
        break;
      case 'last':
        // Ties: the later part wins (parts of equal time arrive in append order).
        if (y >= this.#y) {
          this.#x = x;
          this.#y = y;
        }
        break;
    }
  }

  /** The downsampled points: `[bucket start, value]`, one per non-empty bucket. */
  finish(): Array<readonly [number, number]> {
    this.#flush();
    this.#start = Number.NaN;
    return this.points;
  }

  #flush(): void {
    if (Number.isNaN(this.#start)) return;
    this.points.push([this.#start, this.#aggregation === 'avg' ? this.#x / this.#y : this.#x]);
  }
}
