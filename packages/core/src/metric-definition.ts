import type { Counter } from './counter.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';
import type { Summary } from './summary.js';

type Definable = Counter<string> | Gauge<string> | Histogram<string> | Summary<string>;

/** The parts of a metric that must match when the same name is registered twice. */
export function definitionOf(metric: Definable): Record<string, unknown> {
  const common = {
    type: metric.type,
    help: metric.help,
    labelNames: metric.labelNames,
    unit: metric.unit,
    maxSeries: metric.maxSeries,
  };
  if (metric.type === 'histogram') return { ...common, buckets: [...metric.bounds] };
  if (metric.type === 'summary') {
    const { quantiles, maxAge, ageBuckets, scale } = metric;
    return { ...common, quantiles, maxAge, ageBuckets, relativeError: scale };
  }
  return common;
}

/** The first field in which two definitions differ, or undefined when they are the same. */
export function definitionDifference(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): string | undefined {
  for (const key of Object.keys(a)) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
      return `${key} (${JSON.stringify(a[key])} before, ${JSON.stringify(b[key])} now)`;
    }
  }
  return undefined;
}
