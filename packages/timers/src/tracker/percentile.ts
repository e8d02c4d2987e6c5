/**
 * The `q` quantile (0…1) of the first `count` values of `sorted` (ascending), interpolating
 * linearly between the closest ranks (numpy's default); NaN when `count` is 0.
 */
export function percentile(sorted: Float64Array, count: number, q: number): number {
  if (count === 0) return Number.NaN;
  const rank = q * (count - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, count - 1);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low);
}
