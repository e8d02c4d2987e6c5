import { inspect } from 'node:util';

// From https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels, as prom-client.
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether `name` is a valid Prometheus metric name (prom-client's `validateMetricName`). */
export function validateMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** Whether every label name is valid. */
export function validateLabelName(names: readonly string[] = []): boolean {
  return names.every((name) => LABEL_NAME.test(name));
}

/** Throws prom-client's error for a label that is not one of `labelNames`. */
export function unknownLabel(label: string, labelNames: readonly string[]): Error {
  return new Error(
    `Added label "${label}" is not included in initial labelset: ${inspect(labelNames)}`,
  );
}

/** prom-client's `validateLabel`: every key of `labels` is one of `labelNames`. */
export function validateLabel(labelNames: readonly string[], labels: object): void {
  for (const label in labels) {
    if (!labelNames.includes(label)) throw unknownLabel(label, labelNames);
  }
}
