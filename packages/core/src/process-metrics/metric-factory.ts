import type { Registry } from '../registry.js';

/** What the default process metrics register through: a registry, or one that prefixes names. */
export type MetricFactory = Pick<Registry, 'counter' | 'gauge' | 'histogram'>;

/**
 * `registry`, with `prefix` put before the name of every metric registered through it. The
 * prefix is the default metrics' own (`collectDefaultMetrics(registry, { prefix })`), so the
 * registry's other metrics (the HTTP ones, say) keep their names and their dashboards.
 */
export function prefixedFactory(registry: Registry, prefix: string): MetricFactory {
  if (prefix === '') return registry;
  return {
    counter: (options) => registry.counter({ ...options, name: prefix + options.name }),
    gauge: (options) => registry.gauge({ ...options, name: prefix + options.name }),
    histogram: (options) => registry.histogram({ ...options, name: prefix + options.name }),
  };
}
