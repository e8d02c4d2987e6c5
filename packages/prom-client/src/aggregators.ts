import type { Aggregator, MetricData } from './types.js';

/** One value of a `get()` answer, as the aggregators read it. */
export type Value = { value: number; labels?: Record<string, unknown>; metricName?: string };
type AggregatorFunction = (metrics: MetricData[]) => MetricData | undefined;

/** prom-client's `hashObject`: label names sorted, `name:value,` each. */
export function labelKey(labels: Record<string, unknown> = {}): string {
  let key = '';
  for (const name of Object.keys(labels).sort()) {
    if (labels[name] !== undefined) key += `${name}:${String(labels[name])},`;
  }
  return key;
}

/** A function that merges the same series of several `getMetricsAsJSON()` answers with `reduce`. */
export function AggregatorFactory(reduce: (values: Value[]) => number): AggregatorFunction {
  return (metrics) => {
    const first = metrics[0];
    if (first === undefined) return undefined;
    const byLabels = new Map<string, Value[]>();
    for (const metric of metrics) {
      for (const value of (metric.values ?? []) as Value[]) {
        const key = `${value.metricName}_${labelKey(value.labels)}`;
        const list = byLabels.get(key);
        if (list === undefined) byLabels.set(key, [value]);
        else list.push(value);
      }
    }
    const values: Value[] = [];
    for (const group of byLabels.values()) {
      const head = group[0] as Value;
      const merged: Value = {
        value: reduce(group),
        labels: head.labels as Record<string, unknown>,
      };
      if (head.metricName) merged.metricName = head.metricName;
      values.push(merged);
    }
    return {
      help: first.help,
      name: first.name,
      type: first.type,
      values: values as never,
      aggregator: first.aggregator as Aggregator,
    };
  };
}

/** prom-client's aggregators, by the name a metric's `aggregator` option gives. */
export const aggregators: Record<Aggregator, AggregatorFunction> = {
  sum: AggregatorFactory((v) => v.reduce((p, c) => p + c.value, 0)),
  first: AggregatorFactory((v) => (v[0] as Value).value),
  omit: () => undefined,
  average: AggregatorFactory((v) => v.reduce((p, c) => p + c.value, 0) / v.length),
  min: AggregatorFactory((v) => v.reduce((p, c) => Math.min(p, c.value), Number.POSITIVE_INFINITY)),
  max: AggregatorFactory((v) => v.reduce((p, c) => Math.max(p, c.value), Number.NEGATIVE_INFINITY)),
};
