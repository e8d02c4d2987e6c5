import type { Counter, CounterChild, Histogram, Registry } from '@vigil/core';
import type { CacheStats } from './cache-stats.js';

/** @internal What the caches of one registry share: the metrics, and who answers their gauges. */
interface RegistryMetrics {
  readonly requests: Counter<'cache' | 'result'>;
  readonly evictions: Counter<'cache' | 'reason'>;
  readonly loaderSeconds: Histogram<'cache'>;
  readonly loaderErrors: Counter<'cache'>;
  readonly caches: Set<{ stats(): CacheStats }>;
}

const byRegistry = new WeakMap<Registry, RegistryMetrics>();

function registryMetrics(registry: Registry): RegistryMetrics {
  let metrics = byRegistry.get(registry);
  if (metrics !== undefined) return metrics;
  const caches = new Set<{ stats(): CacheStats }>();
  const gauge = (name: string, help: string, read: (stats: CacheStats) => number) => {
    const made = registry.gauge({
      name,
      help,
      labelNames: ['cache'],
      collect: () => {
        for (const cache of caches) {
          const stats = cache.stats();
          made.set({ cache: stats.name }, read(stats));
        }
      },
    });
  };
  gauge('vigil_cache_entries', 'Entries held by each cache, fresh and stale.', (s) => s.entries);
  gauge(
    'vigil_cache_bytes',
    'Size of each cache by its sizeCalculation (0 without maxSize).',
    (s) => s.bytes,
  );
  gauge('vigil_cache_inflight_loads', 'Loads running now, per cache.', (s) => s.inflight);
  // Reads are counted by the caches themselves (plain fields) and brought to the counter at
  // collect time: the hit path pays no metric call, and stays close to a bare lru-cache get.
  const reported = new WeakMap<
    { stats(): CacheStats },
    { hit: number; miss: number; stale: number }
  >();
  const requests: Counter<'cache' | 'result'> = registry.counter({
    name: 'vigil_cache_requests_total',
    help: 'Cache reads by result: hit, miss, or stale (a stale value served).',
    labelNames: ['cache', 'result'],
    collect: () => {
      for (const cache of caches) {
        const stats = cache.stats();
        const last = reported.get(cache) ?? { hit: 0, miss: 0, stale: 0 };
        const now = { hit: stats.hits, miss: stats.misses, stale: stats.stale };
        for (const result of ['hit', 'miss', 'stale'] as const) {
          const delta = now[result] - last[result];
          if (delta > 0) requests.inc({ cache: stats.name, result }, delta);
        }
        reported.set(cache, now);
      }
    },
  });
  metrics = {
    requests,
    evictions: registry.counter({
      name: 'vigil_cache_evictions_total',
      help: 'Entries removed, by reason: evict (the bound), expire, delete, pressure.',
      labelNames: ['cache', 'reason'],
    }),
    loaderSeconds: registry.histogram({
      name: 'vigil_cache_loader_duration_seconds',
      help: 'How long loaders took, per cache.',
      labelNames: ['cache'],
      unit: 'seconds',
    }),
    loaderErrors: registry.counter({
      name: 'vigil_cache_loader_errors_total',
      help: 'Loaders that failed or timed out, per cache.',
      labelNames: ['cache'],
    }),
    caches,
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

/** @internal One cache's children of the shared metrics, bound once. */
export interface CacheMetrics {
  readonly evicted: (reason: string) => void;
  readonly loaded: (seconds: number) => void;
  readonly loaderError: CounterChild;
  /** Stops reporting this cache's gauges. */
  readonly forget: () => void;
}

/** @internal Binds a cache to its registry's metrics. */
export function cacheMetrics(
  registry: Registry,
  cache: { stats(): CacheStats },
  name: string,
): CacheMetrics {
  const metrics = registryMetrics(registry);
  metrics.caches.add(cache);
  // The series exist from the start, at 0.
  for (const result of ['hit', 'miss', 'stale']) metrics.requests.labels({ cache: name, result });
  return {
    evicted: (reason) => metrics.evictions.labels({ cache: name, reason }).inc(),
    loaded: (seconds) => metrics.loaderSeconds.observe({ cache: name }, seconds),
    loaderError: metrics.loaderErrors.labels({ cache: name }),
    forget: () => metrics.caches.delete(cache),
  };
}
