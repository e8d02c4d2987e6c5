import type { Gauge } from '../gauge.js';
import type { MetricFactory } from './metric-factory.js';

// Undocumented but long-standing; prom-client reads the same two functions.
interface ProcessInternals {
  _getActiveHandles?: () => object[];
  _getActiveRequests?: () => object[];
}

/**
 * What keeps the event loop alive, by type and in total: `nodejs_active_handles`,
 * `nodejs_active_requests` (from Node's internals, where present) and `nodejs_active_resources`
 * (from `process.getActiveResourcesInfo()`).
 */
export function registerActiveResources(registry: MetricFactory): void {
  const internals = process as unknown as ProcessInternals;
  const handles = internals._getActiveHandles;
  if (typeof handles === 'function') {
    register(registry, 'handles', 'handles', () => handles.call(process).map(typeOf));
  }
  const requests = internals._getActiveRequests;
  if (typeof requests === 'function') {
    register(registry, 'requests', 'requests', () => requests.call(process).map(typeOf));
  }
  if (typeof process.getActiveResourcesInfo === 'function') {
    register(registry, 'resources', 'resources that keep the event loop alive', () =>
      process.getActiveResourcesInfo(),
    );
  }
}

function register(
  registry: MetricFactory,
  kind: string,
  what: string,
  types: () => readonly string[],
): void {
  const total = registry.gauge({
    name: `nodejs_active_${kind}_total`,
    help: `Total number of active ${what}.`,
  });
  registry.gauge({
    name: `nodejs_active_${kind}`,
    help: `Number of active ${what} grouped by type.`,
    labelNames: ['type'],
    collect: (byType: Gauge<'type'>) => {
      const list = types();
      const counts = new Map<string, number>();
      for (const type of list) counts.set(type, (counts.get(type) ?? 0) + 1);
      // Types that went away since the last exposition must not linger with a stale count.
      byType.reset();
      for (const [type, count] of counts) byType.set({ type }, count);
      total.set(list.length);
    },
  });
}

function typeOf(value: object): string {
  return value?.constructor?.name ?? 'Unknown';
}
