import { ConfigurationError } from '../errors.js';
import { BucketStore } from './bucket-store.js';
import { checkScale, DEFAULT_SKETCH_SCALE, MAX_SCALE } from './scale.js';
import { readSketchData, type SketchData } from './sketch-data.js';

export { DEFAULT_SKETCH_SCALE } from './scale.js';
export type { SketchBuckets, SketchData } from './sketch-data.js';

// Every sketch's negative store until its first negative value: most metrics never see one.
// Always empty: reset() leaves an empty store untouched, and every write goes through
// #negatives(), which replaces this one first.
const NO_NEGATIVES = new BucketStore();

/**
 * A relative-error quantile sketch (the DDSketch idea) with the bucket layout of OpenTelemetry's
 * exponential histogram and Prometheus native histograms: with base = 2^(2^-scale), bucket `i`
 * holds the values in (base^i, base^(i+1)]. Every quantile is within
 * `ExponentialSketch.relativeError(scale)` of a true value of that rank, and two sketches of one
 * scale merge exactly.
 */
export class ExponentialSketch {
  /** Resolution: higher is finer. Fixed for the sketch's life. */
  readonly scale: number;
  readonly #scaleFactor: number;
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #zeroCount = 0;
  #positive = new BucketStore();
  // Keyed by the absolute value, so both signs share the index arithmetic.
  #negative = NO_NEGATIVES;

  /** @throws ConfigurationError `INVALID_OPTION` unless `scale` is an integer from 0 to 10. */
  constructor(scale: number = DEFAULT_SKETCH_SCALE) {
    checkScale(scale);
    this.scale = scale;
    this.#scaleFactor = 2 ** scale;
  }

  /** The worst relative error of a quantile at `scale`: (base - 1) / (base + 1). */
  static relativeError(scale: number): number {
    checkScale(scale);
    const base = 2 ** (2 ** -scale);
    return (base - 1) / (base + 1);
  }

  /** The lowest (cheapest) scale whose relative error is at most `relativeError`. */
  static scaleForRelativeError(relativeError: number): number {
    if (!(relativeError > 0 && relativeError < 0.5)) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `relativeError should be a number greater than 0 and less than 0.5 (0.01 is 1 %), got ${String(relativeError)}`,
      );
    }
    for (let scale = 0; scale <= MAX_SCALE; scale++) {
      if (ExponentialSketch.relativeError(scale) <= relativeError) return scale;
    }
    throw new ConfigurationError(
      'INVALID_OPTION',
      `relativeError should be at least ${ExponentialSketch.relativeError(MAX_SCALE)} (scale ${MAX_SCALE}, the finest), got ${relativeError}`,
    );
  }

  get count(): number {
    return this.#count;
  }

  get sum(): number {
    return this.#sum;
  }

  /** The smallest value added; NaN when empty. */
  get min(): number {
    return this.#count === 0 ? Number.NaN : this.#min;
  }

  /** The largest value added; NaN when empty. */
  get max(): number {
    return this.#count === 0 ? Number.NaN : this.#max;
  }

  /** Records one value. The caller guarantees a finite number; nothing is checked here. */
  add(value: number): void {
    this.#count++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (value > 0) this.#positive.add(this.#index(value), 1);
    else if (value < 0) this.#negatives().add(this.#index(-value), 1);
    else this.#zeroCount++;
  }

  /**
   * The value of rank ceil(q·n) (nearest rank, 1-based, computed in floating point; q = 0 is the
   * smallest value), within the relative error and clamped into [min, max]. NaN when empty.
   *
   * @throws ConfigurationError `INVALID_OPTION` unless `q` is in [0, 1].
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `quantile should be a number from 0 to 1 (0.99 for p99), got ${String(q)}`,
      );
    }
    if (this.#count === 0) return Number.NaN;
    let rank = Math.max(1, Math.ceil(q * this.#count));
    let value: number;
    const negatives = this.#negative.total;
    if (rank <= negatives) {
      // The most negative values have the largest absolute values: walk that store downwards.
      value = -this.#estimate(this.#negative.indexAtRank(negatives - rank + 1));
    } else if ((rank -= negatives) <= this.#zeroCount) {
      value = 0;
    } else {
      value = this.#estimate(this.#positive.indexAtRank(rank - this.#zeroCount));
    }
    return Math.min(this.#max, Math.max(this.#min, value));
  }

  /**
   * Adds `other`'s content to this sketch, exactly: the result equals a sketch of both inputs.
   *
   * @throws ConfigurationError `INVALID_OPTION` when the scales differ. A finer sketch could be
   * folded into coarser buckets, but every sketch of one metric shares the scale set at its
   * definition, so differing scales mean two processes disagree on configuration; folding would
   * silently cost resolution and hide that.
   */
  merge(other: ExponentialSketch): void {
    if (other.scale !== this.scale) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `Cannot merge a sketch of scale ${other.scale} into a sketch of scale ${this.scale}: sketches should have the same scale to merge exactly; configure both with one scale`,
      );
    }
    if (other.#count === 0) return;
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#zeroCount += other.#zeroCount;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
    this.#positive.merge(other.#positive);
    if (other.#negative.total > 0) this.#negatives().merge(other.#negative);
  }

  /** Empties the sketch, keeping its bucket arrays so that refilling allocates nothing. */
  reset(): void {
    this.#count = 0;
    this.#sum = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
    this.#zeroCount = 0;
    this.#positive.reset();
    this.#negative.reset();
  }

  isEmpty(): boolean {
    return this.#count === 0;
  }

  clone(): ExponentialSketch {
    const copy = new ExponentialSketch(this.scale);
    copy.merge(this);
    return copy;
  }

  /** Plain JSON, with bucket counts trimmed of leading and trailing zeros. */
  toJSON(): SketchData {
    const empty = this.#count === 0;
    return {
      scale: this.scale,
      count: this.#count,
      sum: this.#sum,
      // `+ 0` turns -0 into 0, as JSON text would.
      min: empty ? 0 : this.#min + 0,
      max: empty ? 0 : this.#max + 0,
      zeroCount: this.#zeroCount,
      positive: this.#positive.toJSON(),
      negative: this.#negative.toJSON(),
    };
  }

  /**
   * Rebuilds a sketch from `toJSON()` output, trusting nothing: every field is checked.
   *
   * @throws VigilError `INVALID_VALUE` naming the first field that is wrong.
   */
  static fromJSON(data: unknown): ExponentialSketch {
    const valid = readSketchData(data);
    const sketch = new ExponentialSketch(valid.scale);
    sketch.#positive.load(valid.positive);
    if (valid.negative.counts.length > 0) sketch.#negatives().load(valid.negative);
    if (valid.count > 0) {
      sketch.#min = valid.min;
      sketch.#max = valid.max;
    }
    sketch.#count = valid.count;
    sketch.#sum = valid.sum;
    sketch.#zeroCount = valid.zeroCount;
    return sketch;
  }

  #negatives(): BucketStore {
    if (this.#negative === NO_NEGATIVES) this.#negative = new BucketStore();
    return this.#negative;
  }

  // OTel's upper-inclusive mapping. Math.log2 is exact at powers of two, so those land in the
  // bucket they close, as OTel's frexp special case puts them.
  #index(value: number): number {
    return Math.ceil(Math.log2(value) * this.#scaleFactor) - 1;
  }

  // For bucket (L, U] the point 2LU / (L + U) has relative error (base - 1) / (base + 1) to both
  // ends; written as L · 2·base / (1 + base) so that U cannot overflow near Number.MAX_VALUE.
  #estimate(index: number): number {
    return 2 ** (index / this.#scaleFactor) * (MIDPOINT[this.scale] as number);
  }
}

const MIDPOINT = Array.from({ length: MAX_SCALE + 1 }, (_, scale) => {
  const base = 2 ** (2 ** -scale);
  return (2 * base) / (1 + base);
});
