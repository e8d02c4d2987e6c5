import { readdirSync, readFileSync } from 'node:fs';
import type { MetricFactory } from './metric-factory.js';

/** `process_open_fds` and `process_max_fds`, on Linux only (from `/proc/self`). */
export function registerFileDescriptors(registry: MetricFactory): void {
  if (process.platform !== 'linux' || countOpen() === undefined) return;
  registry.gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    collect: (gauge) => {
      const open = countOpen();
      if (open !== undefined) gauge.set(open);
    },
  });
  const max = readMaxOpen();
  if (max !== undefined) {
    registry
      .gauge({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.' })
      .set(max);
  }
}

function countOpen(): number | undefined {
  try {
    // One entry is the descriptor readdir itself holds open.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

function readMaxOpen(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}
