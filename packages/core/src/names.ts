import { ConfigurationError } from './errors.js';
import { describeValue } from './options/describe-value.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Checks a metric name against Prometheus' rules. */
export function assertMetricName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new ConfigurationError(
      'INVALID_METRIC_NAME',
      `metric name should match [a-zA-Z_:][a-zA-Z0-9_:]* (for example 'http_requests_total'), got ${describeValue(name)}`,
    );
  }
}

/**
 * Checks label names: Prometheus' pattern, no `__` prefix (reserved for Prometheus itself), no
 * duplicates, and none of the names the metric type reserves (`le` on histograms, `quantile` on
 * summaries).
 */
export function assertLabelNames(
  metric: string,
  labelNames: readonly unknown[],
  reserved: readonly string[],
): asserts labelNames is readonly string[] {
  if (!Array.isArray(labelNames)) {
    throw new ConfigurationError(
      'INVALID_LABEL_NAME',
      `${metric}: labelNames should be an array of label names, got ${describeValue(labelNames)}`,
    );
  }
  const seen = new Set<string>();
  for (const label of labelNames) {
    assertLabelName(metric, label);
    if (label.startsWith('__')) {
      throw new ConfigurationError(
        'INVALID_LABEL_NAME',
        `${metric}: label name '${label}' starts with '__', which Prometheus reserves; rename it without the leading underscores`,
      );
    }
    if (reserved.includes(label)) {
      throw new ConfigurationError(
        'INVALID_LABEL_NAME',
        `${metric}: label name '${label}' is reserved for this metric type; choose another name`,
      );
    }
    if (seen.has(label)) {
      throw new ConfigurationError(
        'INVALID_LABEL_NAME',
        `${metric}: label name '${label}' is listed twice in labelNames; list each once`,
      );
    }
    seen.add(label);
  }
}

/** Checks one label name against Prometheus' pattern. */
export function assertLabelName(owner: string, label: unknown): asserts label is string {
  if (typeof label !== 'string' || !LABEL_NAME.test(label)) {
    throw new ConfigurationError(
      'INVALID_LABEL_NAME',
      `${owner}: label name should match [a-zA-Z_][a-zA-Z0-9_]*, got ${describeValue(label)}`,
    );
  }
}
