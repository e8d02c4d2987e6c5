import type { SketchBuckets } from './sketch-data.js';

// DDSketch's collapsing policy bounds memory: past this span of bucket indices per sign, the
// lowest buckets fold into the lowest kept one. High quantiles, the ones latency alerts read, keep
// the error bound; quantiles inside the folded bucket are overestimated (for negatives: values
// nearest zero). At the default scale the span is 2^64, so real measurements never fold.
export const MAX_BUCKETS = 4096;

// Small, so that a series with a few observations stays small; the array doubles from here.
const INITIAL_CAPACITY = 16;
// Sentinels in small-integer range keep the fields unboxed; `lo > hi` means empty.
const EMPTY_LO = 0x3fffffff;
const EMPTY_HI = -0x3fffffff;

type Counts = Uint8Array | Uint16Array | Uint32Array | Float64Array;
// The count arrays from narrowest to widest, and the largest count each holds. A store starts
// with a byte per bucket and widens when a bucket outgrows it: a summary series holding 100
// latencies spans ~460 buckets at the default scale, which took 8 bytes each (~4.8 KB) as a
// plain array; a busy series ends at 8 bytes per bucket, as before. Float64 counts are exact
// to 2^53.
const WIDTHS = [Uint8Array, Uint16Array, Uint32Array, Float64Array] as const;
const LIMITS = [0xff, 0xffff, 0xffffffff, Number.POSITIVE_INFINITY] as const;
// Shared by every store that has never counted anything; never written to.
const NO_COUNTS: Counts = new Uint8Array(0);

/**
 * The bucket counts of one sign in a dense typed array that grows by doubling, re-centres when it
 * moves, and widens its element type when a count outgrows it. Counting into a bucket the array
 * covers, below the width's limit, allocates nothing.
 */
export class BucketStore {
  #counts: Counts = NO_COUNTS;
  /** Index into WIDTHS of the type of `#counts`. */
  #width = 0;
  /** The largest count `#counts` can hold. */
  #limit: number = LIMITS[0];
  /** The bucket index of `#counts[0]`. */
  #offset = 0;
  /** Every non-zero count lies in [#lo, #hi]. */
  #lo = EMPTY_LO;
  #hi = EMPTY_HI;
  #total = 0;

  get total(): number {
    return this.#total;
  }

  /** Adds `count` (> 0) to bucket `index`. */
  add(index: number, count: number): void {
    if (index < this.#lo || index > this.#hi) index = this.#cover(index);
    const k = index - this.#offset;
    const next = this.#counts[k]! + count;
    if (next > this.#limit) this.#widen(next);
    this.#counts[k] = next;
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
    if (other.#lo > other.#hi) return;
    // The two ends first: the array is sized for the whole span once, not doubled per step down.
    const counts = other.#counts;
    const offset = other.#offset;
    this.add(other.#hi, counts[other.#hi - offset]!);
    if (other.#lo === other.#hi) return;
    this.add(other.#lo, counts[other.#lo - offset]!);
    for (let index = other.#hi - 1; index > other.#lo; index--) {
      const count = counts[index - offset]!;
      if (count > 0) this.add(index, count);
    }
  }

  /** Adds buckets that `readSketchData` has checked. */
  load(buckets: SketchBuckets): void {
    const { offset, counts } = buckets;
    let first = 0;
    let last = counts.length - 1;
    while (first <= last && counts[first] === 0) first++;
    while (last > first && counts[last] === 0) last--;
    if (first > last) return;
    // The two ends first: the array is sized for the whole span once, not doubled per step down.
    this.add(offset + last, counts[last]!);
    if (last === first) return;
    this.add(offset + first, counts[first]!);
    for (let k = first + 1; k < last; k++) {
      const count = counts[k]!;
      if (count > 0) this.add(offset + k, count);
    }
  }

  /** Empties the store, keeping its array so that refilling allocates nothing. */
  reset(): void {
    if (this.#lo > this.#hi) return;
    this.#counts.fill(0, this.#lo - this.#offset, this.#hi - this.#offset + 1);
    this.#lo = EMPTY_LO;
    this.#hi = EMPTY_HI;
    this.#total = 0;
  }

  /** The counts trimmed of leading and trailing zeros; `{ offset: 0, counts: [] }` when empty. */
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
    if (folded > 0) {
      const next = this.#counts[lo - this.#offset]! + folded;
      if (next > this.#limit) this.#widen(next);
      this.#counts[lo - this.#offset] = next;
    }
    return index;
  }

  /** Replaces the counts with the narrowest wider type that holds `count`. */
  #widen(count: number): void {
    let width = this.#width;
    while (count > LIMITS[width]!) width++;
    const counts = new WIDTHS[width]!(this.#counts.length);
    counts.set(this.#counts);
    this.#counts = counts;
    this.#width = width;
    this.#limit = LIMITS[width]!;
  }

  /** Places [lo, hi] in the middle of an array large enough, keeping the counts it holds. */
  #move(lo: number, hi: number): void {
    const old = this.#counts;
    const needed = hi - lo + 1;
    let counts = old;
    if (needed > old.length) {
      let capacity = Math.max(old.length, INITIAL_CAPACITY);
      while (capacity < needed) capacity *= 2;
      counts = new WIDTHS[this.#width]!(Math.min(capacity, MAX_BUCKETS));
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
        for (let k = start; k < end; k++) counts[target + k - start] = old[k]!;
      }
    }
    this.#counts = counts;
    this.#offset = offset;
  }
}
