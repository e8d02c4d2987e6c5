import {
  exponentialBuckets as coreExponentialBuckets,
  linearBuckets as coreLinearBuckets,
} from '@vigil/core';

/** `count` buckets from `start`, `width` apart (prom-client's checks and messages). */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (count < 1) throw new Error('Linear buckets needs a positive count');
  if (width > 0) return coreLinearBuckets(start, width, count);
  // Core asks for increasing buckets; prom-client computes whatever it is given.
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` buckets from `start`, each `factor` times the previous one. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (start <= 0) throw new Error('Exponential buckets needs a positive start');
  if (count < 1) throw new Error('Exponential buckets needs a positive count');
  if (factor <= 1) throw new Error('Exponential buckets needs a factor greater than 1');
  return coreExponentialBuckets(start, factor, count);
}
