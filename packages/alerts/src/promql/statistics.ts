import type { RangeSeries } from './values.js';

/** Prometheus's φ-quantile of `values` (linear between the two nearest ranks). */
export function quantile(q: number, values: readonly number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

/** Kahan summation step: the new sum and compensation. */
function kahan(add: number, sum: number, compensation: number): [number, number] {
  const t = sum + add;
  let c = compensation;
  if (Math.abs(sum) >= Math.abs(add)) c += sum - t + add;
  else c += add - t + sum;
  return [t, c];
}

/**
 * Least-squares line through the points, x in seconds from `interceptTime` (ms): Prometheus's
 * `linearRegression` (a constant series has slope 0).
 */
export function linearRegression(
  { times, values, start, end }: Pick<RangeSeries, 'times' | 'values' | 'start' | 'end'>,
  interceptTime: number,
): { slope: number; intercept: number } {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = values[start] as number;
  let constY = true;
  for (let i = start; i < end; i++) {
    const y = values[i] as number;
    if (constY && i > start && y !== initY) constY = false;
    n += 1;
    const x = ((times[i] as number) - interceptTime) / 1000;
    [sumX, cX] = kahan(x, sumX, cX);
    [sumY, cY] = kahan(y, sumY, cY);
    [sumXY, cXY] = kahan(x * y, sumXY, cXY);
    [sumX2, cX2] = kahan(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY))
      return { slope: Number.NaN, intercept: Number.NaN };
    return { slope: 0, intercept: initY };
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return { slope, intercept };
}
