import { readFileSync } from 'node:fs';
import type { MetricFactory } from './metric-factory.js';

const STATUS_FIELDS = /^(VmRSS|VmSize|VmData):\s+(\d+)\s+kB$/gm;

/**
 * `process_resident_memory_bytes` everywhere; on Linux also `process_virtual_memory_bytes` and
 * `process_heap_bytes` from `/proc/self/status`, as prom-client reports them.
 */
export function registerProcessMemory(registry: MetricFactory): void {
  const status = readStatus();
  if (status === undefined) {
    registry.gauge({
      name: 'process_resident_memory_bytes',
      help: 'Resident memory size in bytes.',
      collect: (gauge) => gauge.set(process.memoryUsage.rss()),
    });
    return;
  }
  let sample = status;
  const virtual = registry.gauge({
    name: 'process_virtual_memory_bytes',
    help: 'Virtual memory size in bytes.',
  });
  const heap = registry.gauge({ name: 'process_heap_bytes', help: 'Process heap size in bytes.' });
  registry.gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    collect: (resident) => {
      sample = readStatus() ?? sample;
      resident.set(sample.VmRSS ?? process.memoryUsage.rss());
      if (sample.VmSize !== undefined) virtual.set(sample.VmSize);
      if (sample.VmData !== undefined) heap.set(sample.VmData);
    },
  });
}

function readStatus(): Partial<Record<'VmRSS' | 'VmSize' | 'VmData', number>> | undefined {
  if (process.platform !== 'linux') return undefined;
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return undefined;
  }
  const fields: Partial<Record<'VmRSS' | 'VmSize' | 'VmData', number>> = {};
  for (const match of text.matchAll(STATUS_FIELDS)) {
    fields[match[1] as 'VmRSS'] = Number(match[2]) * 1024;
  }
  return fields;
}
