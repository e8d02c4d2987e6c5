import type { Counter } from './counter.js';
import { MetricConflictError } from './errors.js';
import { labelPair } from './escape.js';
import { ExposedNames, type NamedMetric } from './exposed-names.js';
import type { RenderEntry } from './exposition.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';
import { definitionDifference, definitionOf } from './metric-definition.js';
import { checkOptionsObject } from './options/index.js';
import type { Summary } from './summary.js';

export type AnyMetric = Counter<string> | Gauge<string> | Histogram<string> | Summary<string>;

const COMMON_OPTIONS = ['name', 'help', 'labelNames', 'unit', 'maxSeries', 'collect'];
const EXTRA_OPTIONS: Record<AnyMetric['type'], string[]> = {
  counter: [],
  gauge: [],
  histogram: ['buckets'],
  summary: ['quantiles', 'maxAge', 'ageBuckets', 'relativeError'],
};
/** Where a registered metric's default labels come from: a registry, read at each render. */
export interface DefaultLabelsSource {
  readonly defaultLabels: Readonly<Record<string, string>>;
}

/** A registered metric and the registry whose (current) default labels its series get. */
export interface MetricEntry {
  readonly metric: AnyMetric;
  readonly labels: DefaultLabelsSource;
}

/**
 * A registry's metrics by name, in registration order, with the names each exposes (so that two
 * metrics never put one name into the exposition).
 */
export class MetricEntries {
  readonly #entries = new Map<string, MetricEntry>();
  readonly #exposed = new ExposedNames();

  get size(): number {
    return this.#entries.size;
  }

  get(name: string): MetricEntry | undefined {
    return this.#entries.get(name);
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Whether a registered metric exposes one of the names `metric` would. */
  exposes(metric: NamedMetric): boolean {
    return this.#exposed.collides(metric);
  }

  values(): IterableIterator<MetricEntry> {
    return this.#entries.values();
  }

  /**
   * Adds `metric`, whose series get the default labels of `labels`. The same object again is a
   * no-op (returns false).
   *
   * @throws MetricConflictError `METRIC_CONFLICT` when another metric has its name, or exposes a
   *   name it would; `context` prefixes the message (`'Registry.merge: '`).
   */
  add(metric: AnyMetric, labels: DefaultLabelsSource, context: string): boolean {
    const existing = this.#entries.get(metric.name);
    if (existing?.metric === metric) return false;
    if (existing !== undefined) {
      throw new MetricConflictError(
        `${context}metric '${metric.name}' is already registered (another ${existing.metric.type} of that name); remove it first or give one of them another name`,
      );
    }
    this.#exposed.add(metric, context);
    this.#entries.set(metric.name, { metric, labels });
    return true;
  }

  /**
   * The metric `create` makes from `options` (its name prefixed), registered with the default
   * labels of `labels`; or the one already registered under that name with the same definition.
   *
   * @throws ConfigurationError for bad options; MetricConflictError `METRIC_CONFLICT` when the
   *   name is taken by a metric of another definition, or exposes a name this one would.
   */
  create<T extends AnyMetric, O extends { name: string }>(
    type: T['type'],
    options: O,
    prefix: string,
    create: (options: O) => T,
    labels: DefaultLabelsSource,
  ): T {
    const named = typeof options === 'object' && options !== null;
    const owner = named ? `${type} '${String(options.name)}'` : `registry.${type}()`;
    checkOptionsObject(owner, options, [...COMMON_OPTIONS, ...EXTRA_OPTIONS[type]], {
      required: true,
    });
    const created = create({ ...options, name: prefix + String(options.name) });
    const existing = this.#entries.get(created.name);
    if (existing !== undefined) {
      const difference = definitionDifference(definitionOf(existing.metric), definitionOf(created));
      if (difference !== undefined) {
        throw new MetricConflictError(
          `metric '${created.name}' is already registered with a different ${difference}; register it once and share it, or use another name`,
        );
      }
      return existing.metric as T;
    }
    this.add(created, labels, '');
    return created;
  }

  /** Removes the metric registered as `name`; returns it, or undefined when there was none. */
  delete(name: string): AnyMetric | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    this.#entries.delete(name);
    this.#exposed.delete(entry.metric);
    return entry.metric;
  }

  clear(): void {
    this.#entries.clear();
    this.#exposed.clear();
  }

  /** The default labels of each metric now, without those it has a label of the same name for. */
  defaultsOf(entry: MetricEntry): Readonly<Record<string, string>> {
    return withoutLabels(entry.labels.defaultLabels, entry.metric.labelNames);
  }

  /** What exposition renders: each metric with its default-label pairs (`k="v",…`). */
  *renderEntries(): Generator<RenderEntry> {
    for (const entry of this.#entries.values()) {
      const rendered = Object.entries(this.defaultsOf(entry))
        .map(([name, value]) => labelPair(name, value))
        .join(',');
      yield { metric: entry.metric, defaultLabels: rendered };
    }
  }
}

// A metric's own label of the same name wins over a default label, as in prom-client.
function withoutLabels(
  defaults: Readonly<Record<string, string>>,
  names: readonly string[],
): Readonly<Record<string, string>> {
  if (!names.some((name) => name in defaults)) return defaults;
  return Object.fromEntries(Object.entries(defaults).filter(([name]) => !names.includes(name)));
}
