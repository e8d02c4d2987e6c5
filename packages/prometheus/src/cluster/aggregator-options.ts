import {
  type Clock,
  type DurationInput,
  type OnError,
  type Registry,
  systemClock,
  systemTimers,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  optionalClock,
  optionalDuration,
  optionalOnError,
  optionalRegistry,
  optionalTimers,
} from '@vigil/core/options';
import type { GaugePolicies, GaugePolicy } from './gauge-policy.js';
import { type MergeConfig, mergeConfig } from './merge-snapshots.js';

/**
 * Options of both aggregators. Every field is optional and also takes `undefined` (the default),
 * so options can be passed through from configuration.
 */
export interface AggregatorOptions {
  /**
   * How long a scrape waits for the workers. A worker that has not answered by then is left out
   * of that scrape and counted in `vigil_aggregation_workers_left_out_total{reason="timeout"}`;
   * the scrape is answered with the others. Default `'5s'`: half of Prometheus's default
   * `scrape_timeout` (10 s), so that a stuck worker leaves time to merge, render and send the
   * rest; prom-client's `AggregatorRegistry` also waits 5 s (and then fails the whole scrape).
   */
  timeout?: DurationInput | undefined;
  /**
   * This process's own registry (the primary's, the parent thread's): included in every scrape,
   * after the workers, as a worker named `'primary'` (`'main'` for threads). Default: none.
   */
  registry?: Registry | undefined;
  /**
   * What the aggregate shows for gauges: a policy for all, or `{ default, metrics: { name:
   * policy } }`. Default `'sum'` (with `DEFAULT_GAUGE_POLICIES` for the process metrics): the
   * gauges of a service (in-flight requests, queue depth, memory, connections) mostly add up
   * across its processes, so the sum is what one process serving all the traffic would show, and
   * prom-client sums by default too, so ported dashboards keep their meaning.
   */
  gauges?: GaugePolicy | GaugePolicies | undefined;
  /** The label that tells workers apart in `'perWorker'` gauges; default `'worker'`. */
  workerLabel?: string | undefined;
  /** Wall clock in ms: the merged snapshot's `timestamp`. Default core's `systemClock`. */
  clock?: Clock | undefined;
  /** Where the scrape timeout is scheduled. Default core's `systemTimers` (unref'd). */
  timers?: Timers | undefined;
  /**
   * Called with what a scrape could not use, as `(error, { source, operation })`: a worker left
   * out (`'ask worker 3'`), an invalid snapshot, a metric the workers disagree on (`'merge
   * <metric>'`). Default: a `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) once per operation.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface AggregatorConfig {
  readonly timeout: number;
  readonly registry: Registry | undefined;
  readonly merge: MergeConfig;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

/** The keys of `AggregatorOptions`. */
export const AGGREGATOR_OPTIONS = [
  'timeout',
  'registry',
  'gauges',
  'workerLabel',
  'clock',
  'timers',
  'onError',
] as const satisfies readonly (keyof AggregatorOptions)[];

/**
 * @internal Checks the options once, at construction, with core's option checks: each throws
 * `ConfigurationError` (`INVALID_OPTION`, or `INVALID_DURATION` for `timeout`) naming the field,
 * the bad value and what would be right. `extra`: the keys the subclass reads itself.
 */
export function aggregatorConfig(
  owner: string,
  options: unknown,
  extra: readonly string[],
  { required = false }: { readonly required?: boolean } = {},
): { config: AggregatorConfig; given: Readonly<Record<string, unknown>> } {
  const given = checkOptionsObject(owner, options, [...AGGREGATOR_OPTIONS, ...extra], { required });
  const config: AggregatorConfig = {
    timeout: optionalDuration(owner, 'timeout', given.timeout, { positive: true }) ?? 5_000,
    registry: optionalRegistry<Registry>(owner, 'registry', given.registry),
    merge: mergeConfig(owner, given.gauges, given.workerLabel),
    clock: optionalClock(owner, 'clock', given.clock) ?? systemClock,
    timers: optionalTimers(owner, 'timers', given.timers) ?? systemTimers,
    onError: optionalOnError(owner, 'onError', given.onError),
  };
  return { config, given };
}
