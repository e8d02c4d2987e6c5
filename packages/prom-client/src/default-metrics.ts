import {
  Registry as CoreRegistry,
  collectDefaultMetrics as coreCollectDefaultMetrics,
} from '@vigil/core';
import { CoreMetricAdapter, sharedCollect } from './core-metric-adapter.js';
import { DEFAULT_METRICS } from './default-metric-order.js';
import { globalRegistry, type Registry } from './registry.js';
import type { RegistryContentType } from './types.js';

export interface DefaultMetricsCollectorConfiguration<T extends RegistryContentType> {
  register?: Registry<T>;
  prefix?: string;
  gcDurationBuckets?: number[];
  eventLoopMonitoringPrecision?: number;
  labels?: object;
}

/** prom-client's names of the default metric groups. */
const METRICS_LIST = [
  'processCpuTotal',
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  ...(typeof (process as { getActiveResourcesInfo?: unknown }).getActiveResourcesInfo === 'function'
    ? ['processResources']
    : []),
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
];

/**
 * prom-client's `collectDefaultMetrics(config?)`: Vigil's default process metrics (prom-client's
 * names) in `config.register` (default the global registry). Calling it twice for one registry
 * throws prom-client's "already been registered" error.
 */
function collectDefaultMetricsFunction<T extends RegistryContentType>(
  config?: DefaultMetricsCollectorConfiguration<T>,
): void {
  if (config !== null && config !== undefined && typeof config !== 'object') {
    throw new TypeError('config must be null, undefined, or an object');
  }
  const given = config ?? {};
  const core = new CoreRegistry();
  coreCollectDefaultMetrics(core, {
    prefix: given.prefix,
    eventLoopMonitoringPrecision: given.eventLoopMonitoringPrecision ?? 10,
    gcDurationBuckets: given.gcDurationBuckets,
  });
  const registry = (given.register ?? globalRegistry()) as Registry<RegistryContentType>;
  const labels = (given.labels ?? {}) as Record<string, string>;
  const prefix = given.prefix ?? '';
  const collect = sharedCollect(() => core.collect());
  // prom-client's order and aggregators; a metric it does not have comes last.
  const metrics = core.getAll();
  for (const [name, aggregator] of DEFAULT_METRICS) {
    const metric = metrics.find((m) => m.name === prefix + name);
    if (metric !== undefined)
      registry.registerMetric(new CoreMetricAdapter(metric, labels, aggregator, collect));
  }
  const known = new Set(DEFAULT_METRICS.map(([name]) => prefix + name));
  for (const metric of metrics) {
    if (!known.has(metric.name))
      registry.registerMetric(new CoreMetricAdapter(metric, labels, 'sum', collect));
  }
}

export const collectDefaultMetrics: typeof collectDefaultMetricsFunction & {
  metricsList: string[];
} = Object.assign(collectDefaultMetricsFunction, { metricsList: METRICS_LIST });
