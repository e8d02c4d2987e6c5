import { SNAPSHOT_VERSION, type SummarySnapshot } from '@vigil/core';
import type { WorkerSnapshot } from '@vigil/prometheus';
import { labelKey, type Value } from './aggregators.js';
import type { MetricData } from './types.js';

/** Aggregators that combine the workers' series: the ones whose quantiles the exact merge gives. */
const COMBINING = new Set(['sum', 'average']);

/**
 * Gives the aggregated summaries of `families` (`AggregatorRegistry.aggregate`'s, which sum or
 * average the workers' quantiles, as prom-client does) the quantiles of all the workers'
 * observations pooled: `@vigil/prometheus`'s `mergeSnapshots` merges the sketches the workers sent
 * (`sketches`), exactly, and the quantiles are read from the merged sketch. A summary keeps
 * prom-client's values when a worker reported it without a sketch (a worker on prom-client
 * itself, a custom `{ name, get() }` summary), when a sketch is invalid, when the workers'
 * sketches do not merge (other scales), or when its `aggregator` is `first`, `min` or `max` (a
 * choice of one worker's values, which pooling would override). The pooled quantiles are those of
 * the first worker's `percentiles`; a percentile only other workers ask for keeps prom-client's
 * value.
 */
export async function setExactQuantiles(
  families: readonly MetricData[],
  answers: readonly MetricData[][],
  sketches: readonly SummarySnapshot[],
): Promise<void> {
  if (sketches.length === 0) return;
  // Loaded on the first cluster scrape with sketches: `require('prom-client')` stays as quick as
  // it was (@vigil/prometheus loads protobufjs, ~50 ms).
  const prometheus = await import('@vigil/prometheus');
  const reported = new Map<string, number>();
  for (const metrics of answers) {
    for (const metric of metrics) {
      if (metric.type === 'summary')
        reported.set(metric.name, (reported.get(metric.name) ?? 0) + 1);
    }
  }
  const sketched = new Map<string, SummarySnapshot[]>();
  for (const snapshot of sketches) {
    const list = sketched.get(snapshot.name);
    if (list === undefined) sketched.set(snapshot.name, [snapshot]);
    else list.push(snapshot);
  }
  for (const family of families) {
    if (family.type !== 'summary' || !COMBINING.has(String(family.aggregator ?? 'sum'))) continue;
    const snapshots = sketched.get(family.name);
    if (snapshots === undefined || snapshots.length !== reported.get(family.name)) continue;
    const merged = mergedSummary(prometheus, snapshots);
    if (merged !== undefined) setQuantiles(family.values as Value[] | undefined, merged);
  }
}

/** The summaries of one name merged, or undefined when one is invalid or they do not merge. */
function mergedSummary(
  { mergeSnapshots, readSnapshot }: typeof import('@vigil/prometheus'),
  snapshots: readonly SummarySnapshot[],
): SummarySnapshot | undefined {
  const workers: WorkerSnapshot[] = [];
  try {
    snapshots.forEach((metric, i) => {
      const snapshot = { version: SNAPSHOT_VERSION, timestamp: 0, metrics: [metric] };
      workers.push({ worker: String(i), snapshot: readSnapshot(snapshot) });
    });
  } catch {
    return undefined;
  }
  const { snapshot, mismatches } = mergeSnapshots(workers);
  if (mismatches.length > 0) return undefined;
  return snapshot.metrics[0] as SummarySnapshot | undefined;
}

/** Sets each quantile sample of `values` to the merged summary's estimate for its series. */
function setQuantiles(values: Value[] | undefined, merged: SummarySnapshot): void {
  const bySeries = new Map<string, number[]>();
  for (const series of merged.series) bySeries.set(labelKey(series.labels), series.quantiles);
  for (const value of values ?? []) {
    const labels = value.labels;
    if (value.metricName !== undefined || labels?.['quantile'] === undefined) continue;
    const { quantile, ...seriesLabels } = labels;
    const at = merged.quantiles.indexOf(Number(quantile));
    const estimate = bySeries.get(labelKey(seriesLabels))?.[at];
    // An empty window has no estimate: prom-client shows 0, as the facade's own get() does.
    if (at >= 0 && estimate !== undefined) value.value = estimate ? estimate : 0;
  }
}
