/**
 * The un-jittered exponential delay before retry number `retry` (1 for the first retry):
 * `initialDelay × factor^(retry − 1)`, capped at `maxDelay`. Never NaN, never above `maxDelay`.
 */
export function exponentialDelay(
  retry: number,
  initialDelay: number,
  factor: number,
  maxDelay: number,
): number {
  const delay = initialDelay * factor ** (retry - 1);
  // Infinity (a large exponent) and NaN (0 × Infinity) both land on the cap or zero.
  if (!(delay < maxDelay)) return initialDelay === 0 ? 0 : maxDelay;
  return delay;
}
