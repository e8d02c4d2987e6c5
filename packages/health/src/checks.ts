import { circuitBreaker } from './checks/circuit-breaker.js';
import { custom } from './checks/custom.js';
import { diskSpace } from './checks/disk-space.js';
import { eventLoop } from './checks/event-loop.js';
import { http } from './checks/http.js';
import { heap, rss } from './checks/memory.js';
import { postgres } from './checks/postgres.js';
import { redis } from './checks/redis.js';

/**
 * The built-in checks. Each returns a `HealthCheck` to put in `HealthMonitor`'s `checks`, and
 * takes the common options (`name`, `critical`, `weight`, `quick`, `timeout`, …) besides its own.
 */
export const checks = {
  eventLoop,
  heap,
  rss,
  diskSpace,
  postgres,
  redis,
  http,
  circuitBreaker,
  custom,
} as const;
