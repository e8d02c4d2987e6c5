import { describeValue, hasMethods, invalidOption } from '@vigil/core/options';
import { readSlot, writeSlot } from './global-slot.js';
import type { HealthMonitor } from './health-monitor.js';

const HEALTH_KEY = Symbol.for('vigil.next.health');

/** The process-wide health monitor `setHealth()` set, or undefined. */
export function getHealth(): HealthMonitor | undefined {
  return readSlot<HealthMonitor>(HEALTH_KEY);
}

/**
 * Makes `health` the process-wide monitor that `healthRoute()` answers from (undefined clears it),
 * and returns it. Call it in `register()` of `instrumentation.ts`.
 *
 * @throws ConfigurationError `INVALID_OPTION` when `health` is not a `@vigil/health` HealthMonitor.
 */
export function setHealth<H extends HealthMonitor | undefined>(health: H): H {
  if (health !== undefined && !hasMethods(health, ['check', 'live', 'ready', 'started'])) {
    throw invalidOption(
      'setHealth',
      `health should be a HealthMonitor from @vigil/health, got ${describeValue(health)}`,
    );
  }
  writeSlot(HEALTH_KEY, health);
  return health;
}
