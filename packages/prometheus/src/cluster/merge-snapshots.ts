import {
  exposedNames,
  type MetricSnapshot,
  type RegistrySnapshot,
  SNAPSHOT_VERSION,
} from '@vigil/core';
import {
  checkOptionsObject,
  invalidOption,
  optionalNumber,
  optionalString,
} from '@vigil/core/options';
import type { Accumulator, MismatchReason } from './accumulator.js';
import {
  type GaugePolicies,
  type GaugePolicy,
  type GaugePolicyOf,
  gaugePolicies,
} from './gauge-policy.js';
import { accumulatorOf } from './metric-accumulators.js';

/** One worker's snapshot, and the name it goes by (the `worker` label of `'perWorker'` gauges). */
export interface WorkerSnapshot {
  /** The worker's name: a cluster worker's `id`, a thread's `threadId`, `'primary'`. */
  worker: string;
  snapshot: RegistrySnapshot;
}

/** Options of `mergeSnapshots()` (and of the aggregators). */
export interface MergeOptions {
  /**
   * What the aggregate shows for gauges: a policy for all (`'max'`), or `{ default, metrics }` with
   * policies by metric name. Default `'sum'`, with `DEFAULT_GAUGE_POLICIES` for the process
   * metrics.
   */
  gauges?: GaugePolicy | GaugePolicies | undefined;
  /** The label that tells workers apart in `'perWorker'` gauges; default `'worker'`. */
  workerLabel?: string | undefined;
  /** The merged snapshot's `timestamp`; default the latest of the inputs' (0 without any). */
  timestamp?: number | undefined;
}

/** A metric the workers disagree on: taken from the first worker that reports it, alone. */
export interface MetricMismatch {
  metric: string;
  /** The worker whose snapshot disagreed with the first's. */
  worker: string;
  /** Why: see `MismatchReason`. */
  reason: MismatchReason;
}

/** What `mergeSnapshots()` returns. */
export interface MergeResult {
  snapshot: RegistrySnapshot;
  /** Metrics taken from one worker only, because another reported them differently. */
  mismatches: MetricMismatch[];
}

/** @internal The merge options, checked. */
export interface MergeConfig {
  readonly policyOf: GaugePolicyOf;
  readonly workerLabel: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** @internal Checks the merge options, for `mergeSnapshots` and the aggregators. */
export function mergeConfig(owner: string, gauges: unknown, workerLabel: unknown): MergeConfig {
  const label = optionalString(owner, 'workerLabel', workerLabel) ?? 'worker';
  if (!LABEL_NAME.test(label) || label.startsWith('__')) {
    throw invalidOption(
      owner,
      `workerLabel should be a label name matching [a-zA-Z_][a-zA-Z0-9_]* without a leading __, got '${label}'`,
    );
  }
  return { policyOf: gaugePolicies(owner, gauges), workerLabel: label };
}

/**
 * Merges the snapshots of several processes into one, as if one process had recorded everything:
 * counters summed per label set, histograms bucket by bucket, summaries by merging their sketches
 * exactly (quantiles recomputed from the merged sketch; sums and counts added), gauges by their
 * policy. Creation times are the earliest. A metric the workers disagree on (another type, other
 * histogram bounds, sketches of another scale) is taken from the first worker that reports it,
 * alone, and listed in `mismatches`. Metrics come in first-seen order, series too.
 *
 * The snapshots are trusted: check one from another process with `readSnapshot` first.
 *
 * @throws ConfigurationError `INVALID_OPTION` for bad options.
 */
export function mergeSnapshots(
  snapshots: readonly WorkerSnapshot[],
  options: MergeOptions = {},
): MergeResult {
  const owner = 'mergeSnapshots';
  const given = checkOptionsObject(owner, options, ['gauges', 'workerLabel', 'timestamp']);
  const config = mergeConfig(owner, given.gauges, given.workerLabel);
  const timestamp = optionalNumber(owner, 'timestamp', given.timestamp);
  return mergeWith(config, snapshots, timestamp);
}

interface Family {
  readonly first: MetricSnapshot;
  /** The worker `first` came from. */
  readonly worker: string;
  readonly accumulator: Accumulator;
  /** Left out: a gauge whose policy is `'omit'`. */
  readonly omitted: boolean;
  mismatched: boolean;
}

/** @internal `mergeSnapshots` with checked options. */
export function mergeWith(
  config: MergeConfig,
  snapshots: readonly WorkerSnapshot[],
  timestamp: number | undefined,
): MergeResult {
  const families = new Map<string, Family>();
  const mismatches: MetricMismatch[] = [];
  let latest = 0;
  for (const { worker, snapshot } of snapshots) {
    if (snapshot.timestamp > latest) latest = snapshot.timestamp;
    for (const metric of snapshot.metrics) {
      const family = families.get(metric.name);
      if (family === undefined) {
        const policy = config.policyOf(metric.name);
        const { accumulator, reason } = accumulatorOf(metric, worker, policy, config.workerLabel);
        const omitted = metric.type === 'gauge' && policy === 'omit';
        const mismatched = reason !== undefined;
        families.set(metric.name, { first: metric, worker, accumulator, omitted, mismatched });
        if (mismatched) mismatches.push({ metric: metric.name, worker, reason });
        continue;
      }
      if (family.mismatched) continue;
      const reason = family.accumulator.add(metric, worker);
      if (reason !== undefined) {
        family.mismatched = true;
        mismatches.push({ metric: metric.name, worker, reason });
      }
    }
  }
  const metrics: MetricSnapshot[] = [];
  const exposed = new Set<string>();
  for (const family of families.values()) {
    if (family.omitted) continue;
    const merged = family.mismatched ? family.first : family.accumulator.result();
    if (merged === undefined) continue;
    // Workers of two app versions may name a gauge `x_bucket` and a histogram `x`: the text
    // format cannot hold both, so the later one is left out, as a mismatch.
    const names = exposedNames(merged);
    if (names.some((name) => exposed.has(name))) {
      mismatches.push({ metric: merged.name, worker: family.worker, reason: 'name' });
      continue;
    }
    for (const name of names) exposed.add(name);
    metrics.push(merged);
  }
  return {
    snapshot: { version: SNAPSHOT_VERSION, timestamp: timestamp ?? latest, metrics },
    mismatches,
  };
}
