import { VigilError } from '../errors.js';
import { MAX_BUCKETS } from './bucket-store.js';
import { isScale, MAX_SCALE } from './scale.js';

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
 * Checks that `data` is a consistent `SketchData`, trusting nothing: the types and ranges of every
 * field, that the counts add up, and that `min` and `max` agree with the buckets. The result
 * shares `data`'s arrays.
 *
 * @throws VigilError `INVALID_VALUE` naming the first field that is wrong.
 */
export function readSketchData(data: unknown): SketchData {
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
  const [positive, positives] = readBuckets(data, 'positive', scale);
  const [negative, negatives] = readBuckets(data, 'negative', scale);
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
  }
  return { scale, count, sum, min, max, zeroCount, positive, negative };
}

/** The buckets of `data[field]` and the sum of their counts. */
function readBuckets(
  data: Record<string, unknown>,
  field: string,
  scale: number,
): [SketchBuckets, number] {
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
  let total = 0;
  // An index loop: `entries()` allocated a pair per bucket, and sketches hold hundreds.
  for (let k = 0; k < counts.length; k++) {
    const count = counts[k];
    if (!Number.isSafeInteger(count) || count < 0) {
      throw invalidData(
        `${field}.counts[${k}] should be a non-negative integer, got ${show(count)}`,
      );
    }
    total += count;
  }
  return [{ offset: first, counts }, total];
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
