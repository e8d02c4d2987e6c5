import { formatNumber, labelPair } from './escape.js';
import { wellFormedProblem } from './label-values.js';
import type { MetricContext } from './metric-context.js';

/** Labels of an exemplar, e.g. `{ trace_id: 'abc123' }`: the trace an observation came from. */
export type ExemplarLabels = Readonly<Record<string, string>>;

/** The latest exemplar of a counter series or of one histogram bucket. */
export interface Exemplar {
  labels: ExemplarLabels;
  value: number;
  /** ms since the epoch. */
  timestamp: number;
}

// OpenMetrics caps the combined length of an exemplar's label names and values.
const MAX_EXEMPLAR_RUNES = 128;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why `labels` cannot be an exemplar's label set, or undefined when it can. */
export function exemplarProblem(labels: ExemplarLabels): string | undefined {
  if (typeof labels !== 'object' || labels === null) return 'exemplar labels should be an object';
  let runes = 0;
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name))
      return `exemplar label name '${name}' should match [a-zA-Z_][a-zA-Z0-9_]*`;
    if (typeof value !== 'string') return `exemplar label '${name}' should be a string`;
    const malformed = wellFormedProblem(value);
    if (malformed !== undefined) return `exemplar label '${name}' ${malformed}`;
    runes += [...name].length + [...value].length;
  }
  if (runes > MAX_EXEMPLAR_RUNES) {
    return `exemplar labels should total at most ${MAX_EXEMPLAR_RUNES} characters (OpenMetrics), got ${runes}`;
  }
  return undefined;
}

/** Renders ` # {trace_id="abc"} 0.42 1700000000.123`, appended to a bucket line. */
export function renderExemplar(exemplar: Exemplar): string {
  const labels = Object.entries(exemplar.labels)
    .map(([name, value]) => labelPair(name, value))
    .join(',');
  return ` # {${labels}} ${formatNumber(exemplar.value)} ${formatNumber(exemplar.timestamp / 1000)}`;
}

/**
 * Whether `labels` cannot label an exemplar of `metric`; then the whole observation is rejected
 * (reported through `onInvalid`) before anything is recorded, so that it is either recorded or
 * counted as dropped, never both.
 */
export function rejectsExemplar(
  context: MetricContext,
  metric: string,
  labels: ExemplarLabels,
): boolean {
  const problem = exemplarProblem(labels);
  if (problem === undefined) return false;
  context.reportInvalid(metric, 'INVALID_VALUE', 'invalid_exemplar', `${metric}: ${problem}`);
  return true;
}

/** A copy of `exemplar` for a snapshot: plain JSON that later observations do not change. */
export function copyExemplar(exemplar: Exemplar): Exemplar {
  return { labels: { ...exemplar.labels }, value: exemplar.value, timestamp: exemplar.timestamp };
}
