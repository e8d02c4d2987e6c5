import type { GaugeSnapshot, MetricSnapshot, SnapshotLabels } from '@vigil/core';
import { type Accumulator, base, type MismatchReason, unionInto } from './accumulator.js';
import type { GaugePolicy } from './gauge-policy.js';
import { SeriesTable } from './series-table.js';

interface GaugeState {
  labels: SnapshotLabels;
  value: number;
  /** Workers that reported the series (for `'average'`). */
  workers: number;
}

/** @internal Merges a gauge by its policy. */
export class GaugeAccumulator implements Accumulator {
  readonly #first: GaugeSnapshot;
  readonly #policy: GaugePolicy;
  readonly #workerLabel: string;
  readonly #labelNames: string[];
  readonly #series = new SeriesTable<GaugeState>();
  readonly #perWorker: GaugeSnapshot['series'] = [];

  constructor(first: GaugeSnapshot, policy: GaugePolicy, workerLabel: string) {
    this.#first = first;
    this.#policy = policy;
    this.#workerLabel = workerLabel;
    this.#labelNames = [...first.labelNames];
  }

  add(metric: MetricSnapshot, worker: string): MismatchReason | undefined {
    if (metric.type !== 'gauge') return 'type';
    const policy = this.#policy;
    if (policy === 'omit') return undefined;
    unionInto(this.#labelNames, metric.labelNames);
    if (policy === 'perWorker') {
      // The worker label would overwrite the metric's own: two workers' series would collide.
      if (metric.labelNames.includes(this.#workerLabel)) return 'label';
      for (const series of metric.series) {
        if (Object.hasOwn(series.labels, this.#workerLabel)) return 'label';
        this.#perWorker.push({
          labels: { ...series.labels, [this.#workerLabel]: worker },
          value: series.value,
        });
      }
      return undefined;
    }
    for (const series of metric.series) {
      const found = this.#series.find(series.labels);
      const value = series.value;
      if (found === undefined) {
        this.#series.add({ labels: series.labels, value, workers: 1 });
        continue;
      }
      found.workers++;
      if (policy === 'sum' || policy === 'average') found.value += value;
      else if (policy === 'min') found.value = lesser(found.value, value);
      else if (policy === 'max') found.value = greater(found.value, value);
    }
    return undefined;
  }

  result(): GaugeSnapshot | undefined {
    const policy = this.#policy;
    if (policy === 'omit') return undefined;
    if (policy === 'perWorker') {
      const labelNames = [...this.#labelNames];
      unionInto(labelNames, [this.#workerLabel]);
      return { ...base(this.#first, labelNames), type: 'gauge', series: this.#perWorker };
    }
    const series: GaugeSnapshot['series'] = [];
    for (const state of this.#series.entries) {
      const value = policy === 'average' ? state.value / state.workers : state.value;
      series.push({ labels: state.labels, value });
    }
    return { ...base(this.#first, this.#labelNames), type: 'gauge', series };
  }
}

/** The smaller of two values, a NaN losing to any number. */
function lesser(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.min(a, b);
}

/** The greater of two values, a NaN losing to any number. */
function greater(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.max(a, b);
}
