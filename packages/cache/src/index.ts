export {
  Cache,
  type CacheEvents,
  type EvictionReason,
  type Loader,
  type LoaderContext,
} from './cache.js';
export {
  type CacheCheckOutcome,
  type CacheHealthCheck,
  type CacheHealthCheckOptions,
  type CacheObservedValue,
  cacheHealthCheck,
} from './cache-health-check.js';
export type { CacheOptions, LoadOptions } from './cache-options.js';
export {
  type CacheRoute,
  type CacheRouteProvider,
  type CacheRouteReply,
  type CacheRouteRequest,
  type CacheSummary,
  cacheRoutes,
} from './cache-routes.js';
export type { CacheLike, CacheStats } from './cache-stats.js';
export type { CacheTier, CacheTierFactory, TierInvalidation } from './cache-tier.js';
export { CACHE_ERROR_CODES, type CacheErrorCode, CacheKeyError } from './errors.js';
export {
  type HeapReading,
  MemoryPressure,
  type MemoryPressureEvents,
  memoryPressure,
  type PressureRound,
  type PurgedEvent,
  type ShrunkEvent,
} from './memory-pressure.js';
export {
  type HeapUsage,
  type MemoryPressureOptions,
  PRESSURE_STRATEGIES,
  type PressureStrategy,
} from './memory-pressure-options.js';
export { type Uncached, uncached } from './uncached.js';
export { cached, type WrapOptions } from './wrap.js';
