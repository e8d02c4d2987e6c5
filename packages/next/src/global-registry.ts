import { Registry } from '@vigil/core';
import { optionalRegistry, required } from '@vigil/core/options';
import { readSlot, writeSlot } from './global-slot.js';

const REGISTRY_KEY = Symbol.for('vigil.next.registry');

/**
 * The process-wide registry of the Next.js app: the one `setRegistry()` set (in
 * `instrumentation.ts`), or else a plain `new Registry()` created on the first call and kept.
 * Every route bundle sees the same one (it lives on `globalThis`).
 */
export function getRegistry(): Registry {
  const registry = readSlot<Registry>(REGISTRY_KEY);
  if (registry !== undefined) return registry;
  const created = new Registry();
  writeSlot(REGISTRY_KEY, created);
  return created;
}

/**
 * Makes `registry` the process-wide registry that `withVigil()`, `metricsRoute()` and
 * `getRegistry()` use, and returns it. Call it in `register()` of `instrumentation.ts`, which
 * Next.js runs before the first request.
 *
 * @throws ConfigurationError `INVALID_OPTION` when `registry` is not a `@vigil/core` Registry.
 */
export function setRegistry<R extends Registry>(registry: R): R {
  required(
    'setRegistry',
    'registry',
    optionalRegistry<R>('setRegistry', 'registry', registry),
    'a Registry from @vigil/core, such as new Registry()',
  );
  writeSlot(REGISTRY_KEY, registry);
  return registry;
}
