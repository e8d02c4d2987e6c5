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
    register(
      registry,
      'handles',
      'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
      () => handles.call(process).map(typeOf),
    );
  }
  const requests = internals._getActiveRequests;
  if (typeof requests === 'function') {
    register(
      registry,
      'requests',
      'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
      () => requests.call(process).map(typeOf),
    );
  }
  if (typeof process.getActiveResourcesInfo === 'function') {
    register(
      registry,
      'resources',
      'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
      () => process.getActiveResourcesInfo(),
    );
  }
}

// Help texts are prom-client's, word for word, so that its users see no difference.
function register(
  registry: MetricFactory,
  kind: string,
  byTypeHelp: string,
  types: () => readonly string[],
): void {
  const total = registry.gauge({
    name: `nodejs_active_${kind}_total`,
    help: `Total number of active ${kind}.`,
  });
  registry.gauge({
    name: `nodejs_active_${kind}`,
    help: byTypeHelp,
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
