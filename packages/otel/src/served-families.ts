import type { Registry } from '@vigil/core';

/** The names of the families a `VigilMetricReader` answered last, replaced at each collection. */
export interface ServedFamilies {
  names: ReadonlySet<string>;
}

/*
 * The families a `VigilMetricReader` serves on a registry (OpenTelemetry's own metrics and
 * `target_info`), which a `VigilMetricProducer` leaves out unless told, so that a `MeterProvider`
 * does not ship them twice. One reader per registry.
 */
const SERVED = new WeakMap<Registry, ServedFamilies>();

export function serveFamilies(registry: Registry, served: ServedFamilies): void {
  SERVED.set(registry, served);
}

/** The names of the families a reader serves on `registry` now; empty without a reader. */
export function servedFamilyNames(registry: Registry): ReadonlySet<string> {
  return SERVED.get(registry)?.names ?? new Set();
}
