import { MEMORY_CORRUPTER } from '../memory/memory-corrupter.js';
import type { MemoryStore } from '../memory/memory-store.js';
import type { Corrupter } from './contract-subject.js';

/**
 * The `Corrupter` of a `MemoryStore`: writes malformed text into its maps, so that tests of code
 * built on a store can check how it handles `STORE_CORRUPT`.
 */
export function corruptMemoryStore(store: MemoryStore): Corrupter {
  const hook = (store as unknown as Record<symbol, (() => Corrupter) | undefined>)[
    MEMORY_CORRUPTER
  ];
  if (typeof hook !== 'function') {
    throw new TypeError('corruptMemoryStore() takes a MemoryStore from @vigil/storage');
  }
  return hook.call(store);
}
