import type { MetricSnapshot } from './snapshot.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary']);

/**
 * Why a collector's `family` cannot be rendered, or undefined when it can: the fields the
 * exposition reads, of the right types (a family without `series` would make every scrape throw).
 * Values are not judged: a gauge may be NaN.
 */
export function familyProblem(family: unknown): string | undefined {
  if (!isRecord(family)) return 'a family should be an object';
  const { name, type, help, series } = family;
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    return `a family's name should be a metric name, got ${show(name)}`;
  }
  if (typeof type !== 'string' || !TYPES.has(type)) {
    return `family '${name}': type should be counter, gauge, histogram or summary, got ${show(type)}`;
  }
  if (typeof help !== 'string') return `family '${name}': help should be a string`;
  if (!Array.isArray(series)) return `family '${name}': series should be an array`;
  const width = type === 'histogram' ? boundsWidth(family['bounds']) : 0;
  if (width < 0) return `family '${name}': bounds should be an array of increasing numbers`;
  if (type === 'summary' && !Array.isArray(family['quantiles'])) {
    return `family '${name}': quantiles should be an array`;
  }
  for (const one of series) {
    const problem = seriesProblem(one, type as MetricSnapshot['type'], width);
    if (problem !== undefined) return `family '${name}': ${problem}`;
  }
  return undefined;
}

function seriesProblem(
  series: unknown,
  type: MetricSnapshot['type'],
  buckets: number,
): string | undefined {
  if (!isRecord(series) || !isRecord(series['labels'])) {
    return 'each series should be an object with labels';
  }
  for (const [label, value] of Object.entries(series['labels'])) {
    if (!LABEL_NAME.test(label) || typeof value !== 'string') {
      return `series labels should map label names to strings, got ${show(value)} for ${show(label)}`;
    }
  }
  if (type === 'counter' || type === 'gauge') {
    return typeof series['value'] === 'number' ? undefined : 'a series value should be a number';
  }
  if (typeof series['sum'] !== 'number' || typeof series['count'] !== 'number') {
    return 'a series should have a numeric sum and count';
  }
  if (type === 'histogram') {
    const counts = series['counts'];
    return Array.isArray(counts) && counts.length === buckets
      ? undefined
      : `a series should have ${buckets} bucket counts (one per bound, and +Inf)`;
  }
  return Array.isArray(series['quantiles']) ? undefined : 'a series should have its quantiles';
}

/** The number of buckets of `bounds` (+Inf included), or -1 when they are not bounds. */
function boundsWidth(bounds: unknown): number {
  if (!Array.isArray(bounds)) return -1;
  for (let i = 0; i < bounds.length; i++) {
    if (typeof bounds[i] !== 'number' || (i > 0 && !(bounds[i] > bounds[i - 1]))) return -1;
  }
  return bounds.length + 1;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : value === null ? 'null' : typeof value;
}
