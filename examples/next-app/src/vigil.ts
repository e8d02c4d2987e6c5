import { collectDefaultMetrics, Registry } from '@vigil/core';
import { checks, HealthMonitor } from '@vigil/health';
import { setHealth, setRegistry } from '@vigil/next';

// Imported by instrumentation.ts on the Node.js runtime, once per server process.
const registry = setRegistry(new Registry());
collectDefaultMetrics(registry);
setHealth(
  new HealthMonitor({
    // The event-loop check is non-critical: a slow loop degrades (warn), never answers 503.
    checks: [checks.eventLoop({ warn: '200ms', fail: '1s' }), checks.heap()],
    cacheFor: '2s',
    registry,
  }),
);
