import { ConfigurationError } from './errors.js';

/** prom-client's and client_golang's default buckets, in seconds: 5 ms to 10 s. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** `count` buckets starting at `start`, `width` apart: `linearBuckets(0.1, 0.1, 5)` → 0.1 … 0.5. */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!Number.isFinite(start) || !Number.isFinite(width) || width <= 0) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `linearBuckets needs a finite start and a finite width > 0, got start ${start}, width ${width}`,
    );
  }
  assertCount('linearBuckets', count);
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` buckets starting at `start`, each `factor` times the previous: (0.001, 10, 4) → 0.001 … 1. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!Number.isFinite(start) || start <= 0 || !Number.isFinite(factor) || factor <= 1) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `exponentialBuckets needs a start > 0 and a factor > 1, got start ${start}, factor ${factor}`,
    );
  }
  assertCount('exponentialBuckets', count);
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

function assertCount(fn: string, count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${fn} needs a count that is a positive integer, got ${count}`,
    );
  }
}

/** Validates histogram bucket bounds: finite, strictly increasing; a trailing `+Inf` is dropped. */
export function checkBuckets(metric: string, buckets: readonly number[]): Float64Array {
  const bounds =
    buckets.length > 0 && buckets[buckets.length - 1] === Infinity ? buckets.slice(0, -1) : buckets;
  if (!Array.isArray(bounds) || bounds.length === 0) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${metric}: buckets should be a non-empty array of increasing upper bounds, e.g. [0.1, 0.5, 1]`,
    );
  }
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i] as number;
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${metric}: bucket bounds should be finite numbers, got ${String(bound)} at index ${i}`,
      );
    }
    if (i > 0 && bound <= (bounds[i - 1] as number)) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${metric}: bucket bounds should be strictly increasing, got ${bounds[i - 1]} then ${bound}`,
      );
    }
  }
  return Float64Array.from(bounds);
}

/** Index of the first bucket whose upper bound is ≥ `value` (Prometheus' `le` is inclusive). */
export function bucketIndex(bounds: Float64Array, value: number): number {
  const n = bounds.length;
  if (n > 16) {
    let low = 0;
    let high = n;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (value <= (bounds[mid] as number)) high = mid;
      else low = mid + 1;
    }
    return low;
  }
  let i = 0;
  while (i < n && value > (bounds[i] as number)) i++;
  return i;
}
