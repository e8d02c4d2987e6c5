import type { Metric } from './metric.js';

/**
 * Runs `metric`'s `collect` callback, if it has one, with the metric as `this` (as prom-client
 * calls it, so `collect() { this.set(n) }` works) and as the argument. A failure, thrown or
 * rejected, goes to `failed`; the metric keeps its previous values. Returns the pending promise
 * of an async callback.
 */
export function runCollect(
  metric: Metric<string>,
  failed: (metric: Metric<string>, error: unknown) => void,
): Promise<void> | undefined {
  const collect = metric.collect;
  if (collect === undefined) return undefined;
  try {
    const result = collect.call(metric, metric);
    if (result !== undefined && typeof result.then === 'function') {
      return result.then(undefined, (error: unknown) => failed(metric, error));
    }
  } catch (error) {
    failed(metric, error);
  }
  return undefined;
}
