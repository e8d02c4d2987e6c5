/** What a replay writes to: a Vigil histogram child. */
export interface Observer {
  observe(value: number): void;
}

/** New observations of one histogram series: counts per bucket (the last is `+Inf`) and sum. */
export interface BucketDelta {
  readonly counts: readonly number[];
  readonly sum: number;
  /** The smallest and largest of the observations, when known: they bound the open buckets. */
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/**
 * Records `delta` into a histogram with the same `bounds`, one `observe` per observation, so that
 * every bucket count and the count come out exact and the sum as exact as floating point allows:
 * each bucket's observations take one value inside the bucket, placed at the same fraction of
 * every bucket's range so that together they add up to the sum. The open buckets (below the first
 * bound, above the last) are closed by `min` and `max`; without them they take what the closed
 * buckets cannot, and the sum is exact too unless only closed buckets hold observations.
 * Costs one `observe` (a few ns) per new observation.
 */
export function replayBuckets(bounds: readonly number[], delta: BucketDelta, into: Observer): void {
  const n = bounds.length;
  const ranges: { bucket: number; count: number; from: number; to: number; value: number }[] = [];
  let low = 0;
  let high = 0;
  for (let bucket = 0; bucket <= n; bucket++) {
    const count = delta.counts[bucket] ?? 0;
    if (!(count > 0)) continue;
    const [from, to] = rangeOf(bounds, bucket, delta.min, delta.max);
    ranges.push({ bucket, count, from, to, value: to });
    low += count * from;
    high += count * to;
  }
  const span = high - low;
  const fraction = span > 0 ? Math.min(1, Math.max(0, (delta.sum - low) / span)) : 1;
  let total = 0;
  for (const range of ranges) {
    const { from, to } = range;
    range.value = from + fraction * (to - from);
    // A bucket holds (lower, upper]: a value on the lower bound belongs to the bucket below.
    const lower =
      range.bucket === 0 ? Number.NEGATIVE_INFINITY : (bounds[range.bucket - 1] as number);
    if (range.value <= lower) range.value = to;
    total += range.count * range.value;
  }
  // What the closed ranges could not hold goes to an open bucket that min or max did not close.
  const residual = delta.sum - total;
  const first = ranges[0];
  const last = ranges[ranges.length - 1];
  if (residual < 0 && first?.bucket === 0 && delta.min === undefined) {
    first.value += residual / first.count;
  } else if (residual > 0 && last?.bucket === n && delta.max === undefined) {
    last.value += residual / last.count;
  }
  for (const { count, value } of ranges) for (let k = 0; k < count; k++) into.observe(value);
}

/** The finite range of bucket `bucket`'s values: its bounds, narrowed by `min` and `max`. */
function rangeOf(
  bounds: readonly number[],
  bucket: number,
  min: number | undefined,
  max: number | undefined,
): [number, number] {
  const n = bounds.length;
  let from = bucket === 0 ? Number.NEGATIVE_INFINITY : (bounds[bucket - 1] as number);
  let to = bucket === n ? Number.POSITIVE_INFINITY : (bounds[bucket] as number);
  if (min !== undefined && Number.isFinite(min) && min > from) from = Math.min(min, to);
  if (max !== undefined && Number.isFinite(max) && max < to) to = Math.max(max, from);
  // Without min or max, an open bucket collapses onto its one bound (the last one just above).
  if (!Number.isFinite(from)) from = to;
  if (!Number.isFinite(to)) to = from === (bounds[n - 1] as number) ? nextAbove(from) : from;
  return [from, to];
}

function nextAbove(bound: number): number {
  return bound + Math.max(Math.abs(bound) * 1e-9, Number.MIN_VALUE);
}
