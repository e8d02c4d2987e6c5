import type { SummarySnapshot } from '@vigil/core';
import { ABSENT } from './label-arguments.js';

/** @internal The key of a facade `Summary`'s core snapshot, with the sketch of every series. */
export const SUMMARY_SNAPSHOT = Symbol.for('vigil.prom-client.summarySnapshot');

interface SketchedSummary {
  [SUMMARY_SNAPSHOT](): SummarySnapshot;
}

function isSketched(metric: unknown): metric is SketchedSummary {
  return typeof (metric as Partial<SketchedSummary>)[SUMMARY_SNAPSHOT] === 'function';
}

/**
 * A default label's value as the primary reads it from a `getMetricsAsJSON()` answer, which
 * crosses IPC as JSON: `undefined` left out, a `Date` as its ISO string, `NaN` as `null`.
 */
function asSentInJson(value: unknown): string | undefined {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : String(JSON.parse(json));
}

/**
 * @internal The core snapshots of the facade summaries among `metrics`, labelled as their
 * `getMetricsAsJSON()` values are: labels left out of a partial label set are left out here too,
 * and the registry's default labels fill the ones a series has not set (as `getMetricsAsJSON`
 * does), so that a primary can match each sketch with its series. Custom `{ name, get() }`
 * summaries have no sketch.
 */
export function summarySnapshots(
  metrics: Iterable<unknown>,
  defaultLabels: Readonly<Record<string, unknown>>,
): SummarySnapshot[] {
  const snapshots: SummarySnapshot[] = [];
  const defaults: [string, string][] = [];
  for (const name of Object.keys(defaultLabels)) {
    const value = asSentInJson(defaultLabels[name]);
    if (value !== undefined) defaults.push([name, value]);
  }
  for (const metric of metrics) {
    if (!isSketched(metric)) continue;
    const snapshot = metric[SUMMARY_SNAPSHOT]();
    for (const series of snapshot.series) {
      const labels: Record<string, string> = {};
      for (const name in series.labels) {
        const value = series.labels[name] as string;
        if (value !== ABSENT) labels[name] = value;
      }
      for (const [name, value] of defaults) labels[name] ||= value;
      series.labels = labels;
    }
    snapshots.push(snapshot);
  }
  return snapshots;
}
