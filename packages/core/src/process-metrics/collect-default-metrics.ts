import { checkBuckets } from '../buckets.js';
import { describeValue } from '../options/describe-value.js';
import { invalidOption } from '../options/invalid-option.js';
import { checkOptionsObject } from '../options/options-object.js';
import { optionalInteger, optionalString } from '../options/value-checks.js';
import type { Registry } from '../registry.js';
import { registerActiveResources } from './active-resources.js';
import { registerEventLoopLag } from './event-loop-lag.js';
import { registerFileDescriptors } from './file-descriptors.js';
import { registerGcDuration } from './gc-duration.js';
import { registerHeap } from './heap.js';
import { prefixedFactory } from './metric-factory.js';
import { registerProcessCpu } from './process-cpu.js';
import { registerProcessInfo } from './process-info.js';
import { registerProcessMemory } from './process-memory.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Options of `collectDefaultMetrics()`. */
export interface DefaultMetricsOptions {
  /**
   * Put before the name of each default metric only (`'api_'` gives `api_process_cpu_seconds_total`),
   * as prom-client's `prefix`; the registry's other metrics keep their names. Default none.
   */
  prefix?: string | undefined;
  /** Sampling resolution of `monitorEventLoopDelay`, in ms (integer ≥ 1); default 10, as prom-client. */
  eventLoopResolution?: number | undefined;
  /** prom-client's name for `eventLoopResolution`; give one or the other. */
  eventLoopMonitoringPrecision?: number | undefined;
  /** Buckets of `nodejs_gc_duration_seconds`; default `[0.001, 0.01, 0.1, 1, 2, 5]`, as prom-client. */
  gcDurationBuckets?: readonly number[] | undefined;
}

/** What `collectDefaultMetrics()` returns: stops the event-loop monitor and the GC observer. */
export interface DefaultMetrics {
  /** Stops the background sampling; the metrics stay registered with their last values. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
  [Symbol.dispose](): void;
}

const OWNER = 'collectDefaultMetrics';
const OPTIONS = [
  'prefix',
  'eventLoopResolution',
  'eventLoopMonitoringPrecision',
  'gcDurationBuckets',
];
const running = new WeakMap<Registry, DefaultMetrics>();

/**
 * Registers the default process metrics in `registry`, under prom-client's names so that existing
 * Grafana dashboards work: CPU seconds, resident and virtual memory, heap sizes and spaces,
 * external memory, open and max file descriptors, event-loop lag and its percentiles, GC duration
 * by kind, active handles, requests and resources, process start time and Node version info.
 * Calling it again for the same registry returns the collector already running.
 */
export function collectDefaultMetrics(
  registry: Registry,
  options: DefaultMetricsOptions = {},
): DefaultMetrics {
  const checked = checkOptionsObject(OWNER, options, OPTIONS) as DefaultMetricsOptions;
  if (
    checked.eventLoopResolution !== undefined &&
    checked.eventLoopMonitoringPrecision !== undefined
  ) {
    throw invalidOption(
      OWNER,
      'give eventLoopResolution or its prom-client name eventLoopMonitoringPrecision, not both',
    );
  }
  const resolutionField =
    checked.eventLoopMonitoringPrecision === undefined
      ? 'eventLoopResolution'
      : 'eventLoopMonitoringPrecision';
  const resolution =
    optionalInteger(
      OWNER,
      resolutionField,
      checked.eventLoopResolution ?? checked.eventLoopMonitoringPrecision,
      { min: 1 },
    ) ?? 10;
  const prefix = optionalString(OWNER, 'prefix', checked.prefix, { allowEmpty: true }) ?? '';
  if (prefix !== '' && !METRIC_NAME.test(prefix)) {
    throw invalidOption(
      OWNER,
      `prefix should start a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), such as 'api_', got ${describeValue(prefix)}`,
    );
  }
  const buckets = checked.gcDurationBuckets ?? [0.001, 0.01, 0.1, 1, 2, 5];
  checkBuckets('nodejs_gc_duration_seconds', buckets);
  const existing = running.get(registry);
  if (existing !== undefined) return existing;

  const factory = prefixedFactory(registry, prefix);
  registerProcessCpu(factory);
  registerProcessInfo(factory);
  registerProcessMemory(factory);
  registerFileDescriptors(factory);
  registerHeap(factory);
  registerActiveResources(factory);
  const stopLag = registerEventLoopLag(factory, resolution);
  const stopGc = registerGcDuration(factory, buckets);

  const stop = (): void => {
    if (running.get(registry) !== collector) return;
    running.delete(registry);
    stopLag();
    stopGc();
  };
  const collector: DefaultMetrics = {
    close: async () => stop(),
    [Symbol.asyncDispose]: async () => stop(),
    [Symbol.dispose]: stop,
  };
  running.set(registry, collector);
  return collector;
}
