import { getHeapSpaceStatistics } from 'node:v8';
import type { MetricFactory } from './metric-factory.js';

/**
 * Heap totals (`nodejs_heap_size_{total,used}_bytes`, `nodejs_external_memory_bytes`) and one
 * series per V8 heap space (`nodejs_heap_space_size_{total,used,available}_bytes{space}`).
 */
export function registerHeap(registry: MetricFactory): void {
  const used = registry.gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
  });
  const external = registry.gauge({
    name: 'nodejs_external_memory_bytes',
    help: 'Node.js external memory size in bytes.',
  });
  registry.gauge({
    name: 'nodejs_heap_size_total_bytes',
    help: 'Process heap size from Node.js in bytes.',
    collect: (total) => {
      const memory = process.memoryUsage();
      total.set(memory.heapTotal);
      used.set(memory.heapUsed);
      external.set(memory.external);
    },
  });

  const spaceUsed = registry.gauge({
    name: 'nodejs_heap_space_size_used_bytes',
    help: 'Process heap space size used from Node.js in bytes.',
    labelNames: ['space'],
  });
  const spaceAvailable = registry.gauge({
    name: 'nodejs_heap_space_size_available_bytes',
    help: 'Process heap space size available from Node.js in bytes.',
    labelNames: ['space'],
  });
  registry.gauge({
    name: 'nodejs_heap_space_size_total_bytes',
    help: 'Process heap space size total from Node.js in bytes.',
    labelNames: ['space'],
    collect: (total) => {
      for (const space of getHeapSpaceStatistics()) {
        // prom-client's label values: 'new', 'old', 'code', 'large_object' …
        const labels = { space: space.space_name.replace(/_space$/, '') };
        total.set(labels, space.space_size);
        spaceUsed.set(labels, space.space_used_size);
        spaceAvailable.set(labels, space.space_available_size);
      }
    },
  });
}
