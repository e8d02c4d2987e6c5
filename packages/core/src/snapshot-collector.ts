import type { MetricSnapshot } from './snapshot.js';

/**
 * Metrics a registry renders and snapshots without holding them: families produced at each
 * collection, such as OpenTelemetry's (`@vigil/otel`) or a prom-client-style custom collector.
 * Series labels are the family's own: the registry adds its default labels, as it does for its
 * metrics.
 */
export interface SnapshotCollector {
  /** Names the collector: unique in a registry, and the `operation` of its failures. */
  readonly name: string;
  /** The families now. A failure (thrown or rejected) goes to the registry's `onError`. */
  collect(): readonly MetricSnapshot[] | Promise<readonly MetricSnapshot[]>;
}

/**
 * A collector and what it answered last: a collection that fails, or an async one not awaited
 * (`snapshot()` is synchronous), leaves the previous families in place.
 */
export class CollectorEntry {
  readonly collector: SnapshotCollector;
  families: readonly MetricSnapshot[] = [];

  constructor(collector: SnapshotCollector) {
    this.collector = collector;
  }

  /**
   * Runs the collector; its families replace the previous ones once they arrive. Returns the
   * pending promise of an async collector.
   */
  run(failed: (error: unknown) => void): Promise<void> | undefined {
    try {
      const result = this.collector.collect();
      if (isPromise(result)) {
        return result.then(
          (families) => this.#keep(families, failed),
          (error: unknown) => failed(error),
        );
      }
      this.#keep(result, failed);
    } catch (error) {
      failed(error);
    }
    return undefined;
  }

  #keep(families: unknown, failed: (error: unknown) => void): void {
    if (!Array.isArray(families)) {
      failed(
        new TypeError(
          `collector '${this.collector.name}' should answer an array of metric snapshots, got ${families === null ? 'null' : typeof families}`,
        ),
      );
      return;
    }
    this.families = families as readonly MetricSnapshot[];
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * `family` with `defaults` in front of each series' own labels (a label of the series wins), as a
 * registry lists its metrics' labels.
 */
export function withDefaultLabels(
  family: MetricSnapshot,
  defaults: Readonly<Record<string, string>>,
): MetricSnapshot {
  if (Object.keys(defaults).length === 0) return family;
  const series = family.series.map((s) => {
    const labels: Record<string, string> = {};
    for (const name in defaults) {
      if (!Object.hasOwn(s.labels, name)) labels[name] = defaults[name] as string;
    }
    return { ...s, labels: Object.assign(labels, s.labels) };
  });
  return { ...family, series } as MetricSnapshot;
}
