import type { MetricSnapshot } from '@vigil/core';

const SUFFIXES: Record<MetricSnapshot['type'], readonly string[]> = {
  counter: [''],
  gauge: [''],
  histogram: ['', '_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** @internal The sample names `metric` takes in the text format (`x`, `x_bucket`, `x_sum`…). */
export function exposedNames(metric: MetricSnapshot): string[] {
  return SUFFIXES[metric.type].map((suffix) => metric.name + suffix);
}
