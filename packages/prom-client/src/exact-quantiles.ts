import { ExponentialSketch, SNAPSHOT_VERSION, type SummarySnapshot } from '@vigil/core';
import { mergeSnapshots, readSnapshot, type WorkerSnapshot } from '@vigil/prometheus/merge';
import { labelKey, type Value } from './aggregators.js';
import type { MetricData } from './types.js';

/** One worker's answer to a cluster scrape. */
export interface WorkerAnswer {
  /** Its registries' `getMetricsAsJSON()`. */
  readonly metrics: readonly MetricData[][];
  /** The core snapshots of its summaries (see `summarySnapshots`), as received: unchecked. */
  readonly sketches: unknown;
}

/** Aggregators that combine the workers' series: the ones whose quantiles the exact merge gives. */
const COMBINING = new Set(['sum', 'average']);

/**
 * Gives the aggregated summaries of `families` (`AggregatorRegistry.aggregate`'s, which sum or
 * average the workers' quantiles, as prom-client does) the quantiles of all the workers'
 * observations pooled: `@vigil/prometheus`'s `mergeSnapshots` merges the sketches the workers sent
 * exactly, and every quantile sample is read from its series' merged sketch. A summary keeps
 * prom-client's values when a worker reported it without a sketch for each of its reports (a
 * worker on prom-client itself, a custom `{ name, get() }` summary, one created while the worker
 * answered), when a sketch is invalid, when the sketches do not merge (other scales), or when its
 * `aggregator` is `first`, `min` or `max` (a choice of one worker's values, which pooling would
 * override). Never throws: what fails keeps prom-client's values.
 */
export function setExactQuantiles(
  families: readonly MetricData[],
  answers: readonly WorkerAnswer[],
): void {
  const sketched = sketchesByName(answers);
  for (const family of families) {
    if (family.type !== 'summary' || !COMBINING.has(String(family.aggregator ?? 'sum'))) continue;
    const snapshots = sketched.get(family.name);
    if (snapshots === undefined) continue;
    try {
      const merged = mergedSummary(snapshots);
      if (merged !== undefined) setQuantiles(family.values as Value[] | undefined, merged);
    } catch {
      // Data no check foresaw: the family keeps prom-client's values.
    }
  }
}

/**
 * The workers' summary snapshots by name, for the names every worker that reported sent a
 * sketch with each report of (one per registry that holds the summary); `undefined` entries
 * mark names some worker reported otherwise.
 */
function sketchesByName(answers: readonly WorkerAnswer[]): Map<string, SummarySnapshot[]> {
  const byName = new Map<string, SummarySnapshot[] | undefined>();
  for (const answer of answers) {
    const reported = new Map<string, number>();
    for (const metrics of answer.metrics) {
      for (const metric of metrics) {
        if (metric.type === 'summary')
          reported.set(metric.name, (reported.get(metric.name) ?? 0) + 1);
      }
    }
    const sent = new Map<string, SummarySnapshot[]>();
    for (const sketch of Array.isArray(answer.sketches) ? answer.sketches : []) {
      if (!isSummary(sketch)) continue;
      const list = sent.get(sketch.name);
      if (list === undefined) sent.set(sketch.name, [sketch]);
      else list.push(sketch);
    }
    for (const [name, count] of reported) {
      const own = sent.get(name);
      const all = byName.has(name) ? byName.get(name) : [];
      byName.set(name, all !== undefined && own?.length === count ? [...all, ...own] : undefined);
    }
  }
  const complete = new Map<string, SummarySnapshot[]>();
  for (const [name, snapshots] of byName)
    if (snapshots !== undefined) complete.set(name, snapshots);
  return complete;
}

function isSummary(value: unknown): value is SummarySnapshot {
  const metric = value as Partial<SummarySnapshot> | null;
  return (
    typeof metric === 'object' &&
    metric !== null &&
    metric.type === 'summary' &&
    typeof metric.name === 'string'
  );
}

/** The summaries of one name merged, or undefined when one is invalid or they do not merge. */
function mergedSummary(snapshots: readonly SummarySnapshot[]): SummarySnapshot | undefined {
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
  const merged = snapshot.metrics[0];
  return mismatches.length === 0 && merged?.type === 'summary' ? merged : undefined;
}

/**
 * Sets each quantile sample of `values` to its series' merged sketch's estimate: for every
 * percentile any worker asked for, not only the first worker's.
 */
function setQuantiles(values: Value[] | undefined, merged: SummarySnapshot): void {
  const sketches = new Map<string, ExponentialSketch>();
  for (const series of merged.series) {
    sketches.set(labelKey(series.labels), ExponentialSketch.fromJSON(series.sketch));
  }
  for (const value of values ?? []) {
    const labels = value.labels;
    if (value.metricName !== undefined || labels?.['quantile'] === undefined) continue;
    const { quantile, ...seriesLabels } = labels;
    const sketch = sketches.get(labelKey(seriesLabels));
    const q = Number(quantile);
    if (sketch === undefined || !(q >= 0 && q <= 1)) continue;
    const estimate = sketch.quantile(q);
    // An empty window has no estimate: prom-client shows 0, as the facade's own get() does.
    value.value = estimate ? estimate : 0;
  }
}
