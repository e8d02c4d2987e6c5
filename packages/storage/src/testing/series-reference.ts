import type { Aggregation, SeriesPoint } from '../time-series-store.js';

/**
 * The answer a range query must give for one series, computed the plain way from raw points (in
 * append order): keep `from <= t < to`, group by `t - t mod step`, aggregate. The contract kit
 * compares every store's answers, rollups or not, against it.
 */
export function referenceSeries(
  points: readonly SeriesPoint[],
  query: { from: number; to: number; step: number; aggregation: Aggregation },
): Array<[number, number]> {
  const buckets = new Map<number, Array<[number, number]>>();
  for (const point of points) {
    if (point.timestamp < query.from || point.timestamp >= query.to) continue;
    const start = point.timestamp - (((point.timestamp % query.step) + query.step) % query.step);
    const bucket = buckets.get(start) ?? [];
    bucket.push([point.timestamp, point.value]);
    buckets.set(start, bucket);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, values]) => [start, aggregate(values, query.aggregation)]);
}

function aggregate(points: Array<[number, number]>, aggregation: Aggregation): number {
  const values = points.map(([, value]) => value);
  switch (aggregation) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'last': {
      let latest = points[0] as [number, number];
      for (const point of points) if (point[0] >= latest[0]) latest = point;
      return latest[1];
    }
  }
}

/**
 * Deterministic test points: `count` points of each label set, at irregular, distinct timestamps
 * from `start` over `span` ms, with integer values (so that sums are exact in any order).
 */
export function samplePoints(
  metric: string,
  labelSets: ReadonlyArray<Readonly<Record<string, string>>>,
  start: number,
  span: number,
  count: number,
): SeriesPoint[] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const points: SeriesPoint[] = [];
  labelSets.forEach((labels, series) => {
    const stride = Math.floor(span / count);
    for (let i = 0; i < count; i++) {
      // One point per stride, at a random offset inside it: distinct and irregular.
      const timestamp =
        start + i * stride + Math.floor(next() * (stride - labelSets.length)) + series;
      points.push({ metric, labels, timestamp, value: Math.floor(next() * 2_001) - 1_000 });
    }
  });
  return points;
}
