import { type Labels, labelsKey, METRIC_NAME } from './labels.js';
import type { Sample } from './values.js';

interface Bucket {
  readonly upperBound: number;
  count: number;
}

/**
 * `histogram_quantile(φ, buckets)` on classic buckets: the `le` series of each histogram
 * (grouped by their labels without `le` and the metric name), as Prometheus's `bucketQuantile`.
 */
export function histogramQuantile(q: number, samples: readonly Sample[]): Sample[] {
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const sample of samples) {
    const le = sample.labels['le'];
    if (le === undefined) continue;
    const upperBound = parseBound(le);
    if (Number.isNaN(upperBound)) continue;
    const { le: _, [METRIC_NAME]: __, ...labels } = sample.labels;
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (group === undefined) {
      group = { labels, buckets: [] };
      groups.set(key, group);
    }
    group.buckets.push({ upperBound, count: sample.value });
  }
  const out: Sample[] = [];
  for (const { labels, buckets } of groups.values()) {
    out.push({ labels, value: bucketQuantile(q, buckets) });
  }
  return out;
}

function parseBound(text: string): number {
  const lower = text.trim().toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (lower === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return Number.NaN;
  return Number(lower);
}

function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if ((sorted[sorted.length - 1] as Bucket).upperBound !== Number.POSITIVE_INFINITY)
    return Number.NaN;
  // Buckets with the same bound (from series that differ only by dropped labels) add up.
  const buckets: Bucket[] = [];
  for (const bucket of sorted) {
    const previous = buckets[buckets.length - 1];
    if (previous !== undefined && previous.upperBound === bucket.upperBound)
      previous.count += bucket.count;
    else buckets.push({ upperBound: bucket.upperBound, count: bucket.count });
  }
  // Scrapes of the buckets are not atomic: make the counts monotonic.
  let max = Number.NEGATIVE_INFINITY;
  for (const bucket of buckets) {
    if (bucket.count > max) max = bucket.count;
    else bucket.count = max;
  }
  if (buckets.length < 2) return Number.NaN;
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && (buckets[b] as Bucket).count < rank) b++;
  if (b === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upperBound;
  if (b === 0 && (buckets[0] as Bucket).upperBound <= 0) return (buckets[0] as Bucket).upperBound;
  let bucketStart = 0;
  const bucketEnd = (buckets[b] as Bucket).upperBound;
  let count = (buckets[b] as Bucket).count;
  if (b > 0) {
    const previous = buckets[b - 1] as Bucket;
    bucketStart = previous.upperBound;
    count -= previous.count;
    rank -= previous.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
