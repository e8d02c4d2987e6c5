import type { Corrupter } from '../testing/contract-subject.js';
import type { MemoryDeadLetters } from './memory-dead-letters.js';
import type { MemoryIdempotency } from './memory-idempotency.js';
import type { MemoryLeases } from './memory-leases.js';
import type { MemoryRecords } from './memory-records.js';
import type { MemoryTimeSeries } from './memory-time-series.js';

/**
 * The key of a `MemoryStore`'s test-only hook: `store[MEMORY_CORRUPTER]()` returns a `Corrupter`
 * that writes malformed text into the store's own maps. A global symbol, so that it works across
 * two copies of the package (ESM and CJS builds). Reach it through `corruptMemoryStore` from
 * `@vigil/storage/testing`.
 */
export const MEMORY_CORRUPTER: unique symbol = Symbol.for('vigil.storage.memory-corrupter');

interface Parts {
  readonly timeSeries: MemoryTimeSeries;
  readonly records: MemoryRecords;
  readonly deadLetters: MemoryDeadLetters;
  readonly idempotency: MemoryIdempotency;
  readonly leases: MemoryLeases;
}

/** Each kind gets a different flavour of damage: invalid JSON, a wrong type, a missing field. */
export function memoryCorrupter(parts: Parts): Corrupter {
  return {
    record: async (namespace, key) =>
      parts.records.overwrite(namespace, key, '{"value":1,"version":"one"}'),
    deadLetter: async (id) => parts.deadLetters.overwrite(id, '{"id": broken'),
    idempotency: async (key) => parts.idempotency.overwrite(key, '{"value":"done"}'),
    lease: async (name) =>
      parts.leases.overwrite(name, JSON.stringify({ name, owner: '', token: -1, expiresAt: 0 })),
    series: async (metric) => {
      for (const series of parts.timeSeries.seriesOf(metric)) series.labelsText = '{"job":7}';
    },
  };
}
