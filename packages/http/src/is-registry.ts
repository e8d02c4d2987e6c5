import type { Registry } from '@vigil/core';

/**
 * Whether `value` is a `@vigil/core` `Registry`, also one from another build (CJS/ESM) or copy of
 * core, where `instanceof` would say no.
 */
export function isRegistry(value: unknown): value is Registry {
  if (typeof value !== 'object' || value === null) return false;
  const registry = value as Partial<Record<keyof Registry, unknown>>;
  return (
    typeof registry.histogram === 'function' &&
    typeof registry.gauge === 'function' &&
    typeof registry.metrics === 'function'
  );
}
