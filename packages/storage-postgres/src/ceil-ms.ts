/**
 * A time bound (ms since the epoch) as the whole number of ms that selects the same whole-ms
 * times: `ts >= 1.5` is `ts >= 2`, `ts < 1.5` is `ts < 2`, and an expiry at `now + 1.5` is live
 * while `now < now + 2`. Clamped to the safe-integer range, which every stored time lies in (a
 * TTL of centuries becomes "never"), so that PostgreSQL's bigint never overflows.
 */
export function ceilMs(bound: number): number {
  return Math.min(Math.max(Math.ceil(bound), Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}
