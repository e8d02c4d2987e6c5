import { MetricConflictError } from './errors.js';
import { ExposedNames, type NamedMetric } from './exposed-names.js';
import { describeValue, invalidOption } from './options/index.js';
import type { MetricSnapshot } from './snapshot.js';
import { CollectorEntry, type SnapshotCollector, withDefaultLabels } from './snapshot-collector.js';
import { familyProblem } from './snapshot-family-check.js';

/** Reports a collector's failure: `(error, operation)`, as a registry's `onError` gets it. */
type ReportFailure = (error: unknown, operation: string) => void;

/** A registry's collectors, by name, and what each answered last. */
export class CollectorSet {
  readonly #entries = new Map<string, CollectorEntry>();
  readonly #report: ReportFailure;

  constructor(report: ReportFailure) {
    this.#report = report;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The collectors, in the order they were added. */
  collectors(): SnapshotCollector[] {
    return [...this.#entries.values()].map((entry) => entry.collector);
  }

  /**
   * @throws ConfigurationError `INVALID_OPTION` for something that is not a collector;
   *   MetricConflictError `METRIC_CONFLICT` when a collector of that name is there.
   */
  add(collector: SnapshotCollector): void {
    const { name, collect } = (collector ?? {}) as Partial<SnapshotCollector>;
    if (typeof name !== 'string' || name === '' || typeof collect !== 'function') {
      throw invalidOption(
        'registry.addCollector()',
        `collector should be { name, collect() } with a non-empty name, got ${describeValue(collector)}`,
      );
    }
    if (this.#entries.has(name)) {
      throw new MetricConflictError(
        `collector '${name}' is already registered; remove it first (registry.removeCollector('${name}')) or give the new one another name`,
      );
    }
    this.#entries.set(name, new CollectorEntry(collector));
  }

  remove(name: string): boolean {
    return this.#entries.delete(name);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Runs every collector; returns the pending promises of the async ones. */
  run(): Promise<void>[] {
    const pending: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      const result = entry.run((error) => this.#failed(entry, error));
      if (result !== undefined) pending.push(result);
    }
    return pending;
  }

  /**
   * The latest families with `defaults` added, less those that cannot be rendered (a malformed
   * family), or whose names `taken` says a registered metric exposes, or an earlier family does:
   * each is reported, as an error or a `METRIC_CONFLICT`, and left out.
   */
  families(
    taken: (family: NamedMetric) => boolean,
    defaults: Readonly<Record<string, string>>,
  ): MetricSnapshot[] {
    const families: MetricSnapshot[] = [];
    const exposed = new ExposedNames();
    for (const entry of this.#entries.values()) {
      for (const family of entry.families) {
        const problem = familyProblem(family);
        if (problem !== undefined) {
          this.#failed(
            entry,
            new TypeError(
              `collector '${entry.collector.name}' answered ${problem}; it is left out`,
            ),
          );
          continue;
        }
        try {
          if (taken(family)) {
            throw new MetricConflictError(
              `collector '${entry.collector.name}' answered a family '${family.name}', a name already taken in this registry; it is left out`,
            );
          }
          exposed.add(
            { type: family.type, name: family.name },
            `collector '${entry.collector.name}': `,
          );
        } catch (error) {
          this.#failed(entry, error);
          continue;
        }
        families.push(withDefaultLabels(family, defaults));
      }
    }
    return families;
  }

  #failed(entry: CollectorEntry, error: unknown): void {
    this.#report(error, `collector ${entry.collector.name}`);
  }
}
