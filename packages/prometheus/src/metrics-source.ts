import type { ExpositionFormat, RegistrySnapshot } from '@vigil/core';

/**
 * What can be pushed or served: a `Registry`, or anything that renders and snapshots like one
 * (a cluster aggregator).
 */
export interface MetricsSource {
  /** The metrics in a text format. */
  metrics(options?: { format?: ExpositionFormat }): Promise<string>;
  /** The metrics as Vigil's snapshot model. */
  snapshot(): RegistrySnapshot | Promise<RegistrySnapshot>;
  /** Runs `collect` callbacks; called before a snapshot when present. */
  collect?(): Promise<void>;
}

/** `source`'s snapshot, its async `collect` callbacks awaited first. */
export async function freshSnapshot(source: MetricsSource): Promise<RegistrySnapshot> {
  await source.collect?.();
  return source.snapshot();
}
