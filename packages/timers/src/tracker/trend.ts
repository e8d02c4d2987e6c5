/** Direction of an operation's durations over its recent windows. */
export type Trend = 'improving' | 'stable' | 'degrading';

/** A trend and the slope it came from. */
export interface TrendResult {
  trend: Trend;
  /** Change of the window mean per window, relative to the overall mean (0.1 = +10 % a window). */
  slope: number;
}

const STABLE: TrendResult = Object.freeze({ trend: 'stable', slope: 0 });

/**
 * Splits the first `count` values of `values` (oldest first) into `windows` equal consecutive
 * windows (the oldest remainder is left out), fits a least-squares line through the window
 * means, and calls the trend degrading when the relative slope exceeds `threshold`, improving
 * when it is below `-threshold`. Stable with fewer than two values per window.
 */
export function trendOf(
  values: Float64Array,
  count: number,
  windows: number,
  threshold: number,
): TrendResult {
  const length = Math.floor(count / windows);
  if (length < 2) return STABLE;
  const offset = count - length * windows;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumXX = 0;
  for (let w = 0; w < windows; w++) {
    let total = 0;
    const start = offset + w * length;
    for (let i = start; i < start + length; i++) total += values[i] as number;
    const mean = total / length;
    sumX += w;
    sumY += mean;
    sumXY += w * mean;
    sumXX += w * w;
  }
  const overall = sumY / windows;
  if (!(overall > 0)) return STABLE;
  const slope = (windows * sumXY - sumX * sumY) / (windows * sumXX - sumX * sumX) / overall;
  if (slope > threshold) return { trend: 'degrading', slope };
  if (slope < -threshold) return { trend: 'improving', slope };
  return { trend: 'stable', slope };
}
