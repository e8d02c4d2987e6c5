import type { MetricSnapshot } from '@vigil/core';

/**
 * Why a metric could not be merged: it is then taken from the first worker only. `'type'`:
 * another metric type; `'bounds'`: other histogram buckets; `'scale'`: summary sketches of
 * another scale; `'label'`: a `'perWorker'` gauge that has the worker label already; `'name'`: a
 * metric whose exposed names (`x_bucket`, `x_sum`…) collide with another metric's.
 */
export type MismatchReason = 'type' | 'bounds' | 'scale' | 'label' | 'name';

/** @internal Adds up one metric over the workers that report it. */
export interface Accumulator {
  /** Adds `metric` (of the same name); a reason when it cannot be merged with what came before. */
  add(metric: MetricSnapshot, worker: string): MismatchReason | undefined;
  /** The merged metric, or undefined when it is left out (`'omit'`). */
  result(): MetricSnapshot | undefined;
}

/** The fields every merged metric copies from its first worker's, with `labelNames`. */
export function base(metric: MetricSnapshot, labelNames: string[] = [...metric.labelNames]) {
  const out = { name: metric.name, help: metric.help, labelNames };
  return metric.unit === undefined ? out : { ...out, unit: metric.unit };
}

/** Label names in first-seen order, across the workers (one may have added a label). */
export function unionInto(names: string[], more: readonly string[]): void {
  for (const name of more) if (!names.includes(name)) names.push(name);
}
