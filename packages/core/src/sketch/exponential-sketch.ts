import { ConfigurationError, VigilError } from '../errors.js';

/** The scale sketches use unless told otherwise: relative error ≈ 0.54 %, within 1 %. */
export const DEFAULT_SKETCH_SCALE = 6;

const MAX_SCALE = 10;
const INITIAL_CAPACITY = 32;
// DDSketch's collapsing policy bounds memory: past this span of bucket indices per sign, the
// lowest buckets fold into the lowest kept one. High quantiles, the ones latency alerts read, keep
// the error bound; quantiles inside the folded bucket are overestimated (for negatives: values
// nearest zero). At the default scale the span is 2^64, so real measurements never fold.
const MAX_BUCKETS = 4096;
// Sentinels in small-integer range keep the fields unboxed; `lo > hi` means empty.
const EMPTY_LO = 0x3fffffff;
const EMPTY_HI = -0x3fffffff;
const NO_COUNTS = new Float64Array(0);

/** Bucket counts of one sign: `counts[k]` values fell in bucket `offset + k`. */
export interface SketchBuckets {
  offset: number;
  counts: number[];
}

/**
 * A sketch as plain JSON. It carries no version: the snapshot model that holds it does. JSON has
 * no NaN, so an empty sketch has `min` and `max` 0.
 */
export interface SketchData {
  /** Resolution: bucket boundaries are the powers of 2^(2^-scale). */
  scale: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Observations equal to zero. */
  zeroCount: number;
  positive: SketchBuckets;
  /** Buckets of the absolute values of negative observations. */
  negative: SketchBuckets;
}

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
  #negative = new BucketStore();

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
    else if (value < 0) this.#negative.add(this.#index(-value), 1);
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
    this.#negative.merge(other.#negative);
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
    if (!isRecord(data)) throw invalidData(`should be an object, got ${show(data)}`);
    const scale = data['scale'];
    if (!isScale(scale)) {
      throw invalidData(`scale should be an integer from 0 to ${MAX_SCALE}, got ${show(scale)}`);
    }
    const count = readCount(data, 'count');
    const zeroCount = readCount(data, 'zeroCount');
    const sum = readFinite(data, 'sum');
    const min = readFinite(data, 'min');
    const max = readFinite(data, 'max');
    const positive = readBuckets(data, 'positive', scale);
    const negative = readBuckets(data, 'negative', scale);
    const sketch = new ExponentialSketch(scale);
    const positives = sketch.#positive.load(positive);
    const negatives = sketch.#negative.load(negative);
    const total = positives + negatives + zeroCount;
    if (total !== count) {
      throw invalidData(
        `count should equal the bucket counts plus zeroCount (${total}), got ${count}`,
      );
    }
    if (count > 0) {
      if (!(min <= max)) throw invalidData(`min should be at most max, got ${min} > ${max}`);
      const signs = min < 0 === negatives > 0 && max > 0 === positives > 0;
      if (!signs || (zeroCount > 0 && (min > 0 || max < 0))) {
        throw invalidData(
          `min and max should agree with the buckets (negative ${negatives}, zero ${zeroCount}, positive ${positives}), got min ${min}, max ${max}`,
        );
      }
      sketch.#min = min;
      sketch.#max = max;
    }
    sketch.#count = count;
    sketch.#sum = sum;
    sketch.#zeroCount = zeroCount;
    return sketch;
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

function isScale(scale: unknown): scale is number {
  return Number.isInteger(scale) && (scale as number) >= 0 && (scale as number) <= MAX_SCALE;
}

function checkScale(scale: number): void {
  if (!isScale(scale)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `scale should be an integer from 0 to ${MAX_SCALE} (${DEFAULT_SKETCH_SCALE} keeps the relative error under 1 %), got ${show(scale)}`,
    );
  }
}

function readBuckets(data: Record<string, unknown>, field: string, scale: number): SketchBuckets {
  const buckets = data[field];
  if (!isRecord(buckets)) {
    throw invalidData(`${field} should be an object { offset, counts }, got ${show(buckets)}`);
  }
  const { offset, counts } = buckets;
  if (!Number.isSafeInteger(offset)) {
    throw invalidData(`${field}.offset should be an integer, got ${show(offset)}`);
  }
  if (!Array.isArray(counts) || counts.length > MAX_BUCKETS) {
    throw invalidData(
      `${field}.counts should be an array of at most ${MAX_BUCKETS} counts, got ${show(counts)}`,
    );
  }
  // Finite positive doubles reach from 2^-1074 to just under 2^1024; no bucket lies outside.
  const first = offset as number;
  const last = first + counts.length - 1;
  const lowest = -1074 * 2 ** scale - 1;
  const highest = 1024 * 2 ** scale - 1;
  if (counts.length > 0 && (first < lowest || last > highest)) {
    throw invalidData(
      `${field} buckets ${first}..${last} should lie within ${lowest}..${highest}, the buckets of finite numbers at scale ${scale}`,
    );
  }
  for (const [k, count] of counts.entries()) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw invalidData(
        `${field}.counts[${k}] should be a non-negative integer, got ${show(count)}`,
      );
    }
  }
  return { offset: first, counts };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCount(data: Record<string, unknown>, field: string): number {
  const value = data[field];
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw invalidData(`${field} should be a non-negative integer, got ${show(value)}`);
  }
  return value as number;
}

function readFinite(data: Record<string, unknown>, field: string): number {
  const value = data[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidData(`${field} should be a finite number, got ${show(value)}`);
  }
  return value;
}

function invalidData(message: string): VigilError {
  return new VigilError('INVALID_VALUE', `Invalid sketch data: ${message}`);
}

// Input may be huge or hostile: name its type rather than printing it.
function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value;
}

/** The counts of one sign in a dense array that grows by doubling and re-centres when it moves. */
class BucketStore {
  #counts = NO_COUNTS;
  /** The bucket index of `#counts[0]`. */
  #offset = 0;
  /** Every non-zero count lies in [#lo, #hi]. */
  #lo = EMPTY_LO;
  #hi = EMPTY_HI;
  #total = 0;

  get total(): number {
    return this.#total;
  }

  add(index: number, count: number): void {
    if (index < this.#lo || index > this.#hi) index = this.#cover(index);
    this.#counts[index - this.#offset]! += count;
    this.#total += count;
  }

  /** The index of the bucket holding the value of 1-based `rank`, counted from the lowest. */
  indexAtRank(rank: number): number {
    let seen = 0;
    for (let index = this.#lo; index < this.#hi; index++) {
      seen += this.#counts[index - this.#offset]!;
      if (seen >= rank) return index;
    }
    return this.#hi;
  }

  merge(other: BucketStore): void {
    // Highest first: the array grows once upwards, then at most doubles downwards.
    for (let index = other.#hi; index >= other.#lo; index--) {
      const count = other.#counts[index - other.#offset]!;
      if (count > 0) this.add(index, count);
    }
  }

  /** Adds validated `fromJSON` buckets, returning their total. */
  load(buckets: SketchBuckets): number {
    let total = 0;
    for (let k = buckets.counts.length - 1; k >= 0; k--) {
      const count = buckets.counts[k]!;
      if (count > 0) this.add(buckets.offset + k, count);
      total += count;
    }
    return total;
  }

  reset(): void {
    if (this.#lo <= this.#hi) {
      this.#counts.fill(0, this.#lo - this.#offset, this.#hi - this.#offset + 1);
    }
    this.#lo = EMPTY_LO;
    this.#hi = EMPTY_HI;
    this.#total = 0;
  }

  toJSON(): SketchBuckets {
    let first = this.#lo;
    let last = this.#hi;
    while (first <= last && this.#counts[first - this.#offset] === 0) first++;
    while (last >= first && this.#counts[last - this.#offset] === 0) last--;
    if (first > last) return { offset: 0, counts: [] };
    const start = first - this.#offset;
    return {
      offset: first,
      counts: Array.from(this.#counts.subarray(start, start + last - first + 1)),
    };
  }

  /** Widens [#lo, #hi] to take `index`, returning the index to count it in. */
  #cover(index: number): number {
    const empty = this.#lo > this.#hi;
    const hi = empty ? index : Math.max(this.#hi, index);
    let lo = empty ? index : Math.min(this.#lo, index);
    let folded = 0;
    if (hi - lo >= MAX_BUCKETS) {
      lo = hi - MAX_BUCKETS + 1;
      const end = Math.min(this.#hi, lo - 1);
      for (let i = this.#lo; i <= end; i++) {
        folded += this.#counts[i - this.#offset]!;
        this.#counts[i - this.#offset] = 0;
      }
      if (index < lo) index = lo;
    }
    if (lo < this.#offset || hi >= this.#offset + this.#counts.length) this.#move(lo, hi);
    this.#lo = lo;
    this.#hi = hi;
    if (folded > 0) this.#counts[lo - this.#offset]! += folded;
    return index;
  }

  /** Places [lo, hi] in the middle of an array large enough, keeping the counts it holds. */
  #move(lo: number, hi: number): void {
    const old = this.#counts;
    const needed = hi - lo + 1;
    let counts = old;
    if (needed > old.length) {
      let capacity = Math.max(old.length, INITIAL_CAPACITY);
      while (capacity < needed) capacity *= 2;
      counts = new Float64Array(Math.min(capacity, MAX_BUCKETS));
    }
    const offset = lo - ((counts.length - needed) >> 1);
    const from = Math.max(this.#lo, lo);
    if (from <= this.#hi) {
      const start = from - this.#offset;
      const end = this.#hi - this.#offset + 1;
      const target = from - offset;
      if (counts === old) {
        old.copyWithin(target, start, end);
        if (target < start) old.fill(0, Math.max(target + end - start, start), end);
        else old.fill(0, start, Math.min(target, end));
      } else {
        counts.set(old.subarray(start, end), target);
      }
    }
    this.#counts = counts;
    this.#offset = offset;
  }
}
