import { Registry as CoreRegistry } from '@vigil/core';

/**
 * The registry that creates every facade metric's core metric. Each is removed from it as soon as
 * it is made (a core metric keeps working outside any registry), so that metrics of one name can
 * live in different facade registries, or in none, as in prom-client. Vigil's limits are lifted
 * to prom-client's (none). The facade throws prom-client's errors itself, before a value reaches
 * core; what core still refuses is what prom-client accepts but Vigil cannot record (a counter
 * incremented by NaN, a gauge moved by Infinity, a label value with a lone surrogate), so it is
 * dropped with a `VigilWarning` (once per metric and reason) rather than thrown where prom-client
 * would not throw.
 */
const creator = new CoreRegistry({
  onInvalid: 'drop',
  maxSeriesPerMetric: Number.MAX_SAFE_INTEGER,
  maxLabelValueLength: Number.MAX_SAFE_INTEGER,
});

/** A core metric made by `create` on the creator registry, and no longer registered there. */
export function createCoreMetric<M extends { readonly name: string }>(
  create: (registry: CoreRegistry) => M,
): M {
  const metric = create(creator);
  creator.remove(metric.name);
  return metric;
}
