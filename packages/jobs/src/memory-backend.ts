import type { JobBackend } from './backend.js';

/**
 * The default backend: the queue lives in the runner's memory and nothing survives a restart or
 * a crash (use `sqliteBackend()` from `@vigil/jobs/sqlite` for that). `close()` reports how many
 * queued jobs it dropped.
 */
export function memoryBackend(): JobBackend {
  return {
    name: 'memory',
    durable: false,
    open: () => [],
    add: () => undefined,
    started: () => {},
    retrying: () => {},
    finished: () => {},
    close: () => Promise.resolve(),
  };
}
