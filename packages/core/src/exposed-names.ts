import { MetricConflictError } from './errors.js';
import type { MetricType } from './metric-options.js';

/** A registered metric, as far as its names go. */
export interface NamedMetric {
  readonly type: MetricType;
  readonly name: string;
}

/**
 * Every name `metric` puts into either text format: its family names and its sample names. A
 * counter `x_total` is the family `x` in OpenMetrics with samples `x_total` and `x_created`, and
 * `x_total` in the Prometheus format; a counter `x` is exposed as `x` there and as `x_total` in
 * OpenMetrics; histograms add `_bucket`, `_sum`, `_count`, `_created`; summaries `_sum`,
 * `_count`, `_created`. (`_info` belongs to OpenMetrics' info type, which Vigil does not make.)
 */
export function exposedNames({ type, name }: NamedMetric): readonly string[] {
  switch (type) {
    case 'counter': {
      const family = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
      return [...new Set([name, family, `${family}_total`, `${family}_created`])];
    }
    case 'gauge':
      return [name];
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`, `${name}_created`];
  }
}

/**
 * Which registered metric exposes each name. Two metrics that would put one name into the
 * exposition (a summary `x` and a gauge `x_sum`, a counter `x` and a gauge `x_total`) make
 * output that Prometheus and promtool reject, so the second is refused at registration.
 */
export class ExposedNames {
  readonly #owners = new Map<string, NamedMetric>();

  /**
   * @throws MetricConflictError `METRIC_CONFLICT` when another metric already exposes one of the
   * names `metric` would; `context` prefixes the message (`'Registry.merge: '`).
   */
  add(metric: NamedMetric, context = ''): void {
    const names = exposedNames(metric);
    for (const name of names) {
      const owner = this.#owners.get(name);
      if (owner !== undefined && owner !== metric) throw conflict(metric, owner, name, context);
    }
    for (const name of names) this.#owners.set(name, metric);
  }

  /** Whether another metric exposes one of the names `metric` would. */
  collides(metric: NamedMetric): boolean {
    return exposedNames(metric).some((name) => {
      const owner = this.#owners.get(name);
      return owner !== undefined && owner !== metric;
    });
  }

  delete(metric: NamedMetric): void {
    for (const name of exposedNames(metric)) {
      if (this.#owners.get(name) === metric) this.#owners.delete(name);
    }
  }

  clear(): void {
    this.#owners.clear();
  }
}

function conflict(
  metric: NamedMetric,
  owner: NamedMetric,
  name: string,
  context: string,
): MetricConflictError {
  return new MetricConflictError(
    `${context}${metric.type} '${metric.name}' collides with ${owner.type} '${owner.name}': both would expose the name '${name}', and Prometheus rejects an exposition where two metrics share a name; rename one of them`,
  );
}
