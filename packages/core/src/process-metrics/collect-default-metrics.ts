import { checkBuckets } from '../buckets.js';
import { ConfigurationError } from '../errors.js';
import { describeValue } from '../options/describe-value.js';
import { checkOptionsObject } from '../options/options-object.js';
import type { Registry } from '../registry.js';
import { registerActiveResources } from './active-resources.js';
import { registerEventLoopLag } from './event-loop-lag.js';
import { registerFileDescriptors } from './file-descriptors.js';
import { registerGcDuration } from './gc-duration.js';
import { registerHeap } from './heap.js';
import { registerProcessCpu } from './process-cpu.js';
import { registerProcessInfo } from './process-info.js';
import { registerProcessMemory } from './process-memory.js';

/** Options of `collectDefaultMetrics()`. */
export interface DefaultMetricsOptions {
  /** Sampling resolution of `monitorEventLoopDelay`, in ms (integer ≥ 1); default 10, as prom-client. */
  eventLoopResolution?: number;
  /** Buckets of `nodejs_gc_duration_seconds`; default `[0.001, 0.01, 0.1, 1, 2, 5]`, as prom-client. */
  gcDurationBuckets?: readonly number[];
}

/** What `collectDefaultMetrics()` returns: stops the event-loop monitor and the GC observer. */
export interface DefaultMetrics {
  /** Stops the background sampling; the metrics stay registered with their last values. */
  close(): void;
  [Symbol.dispose](): void;
}

const OPTIONS = ['eventLoopResolution', 'gcDurationBuckets'];
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
  const resolution = options.eventLoopResolution ?? 10;
  checkOptionsObject('collectDefaultMetrics', options, OPTIONS);
  if (!Number.isInteger(resolution) || resolution < 1) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `eventLoopResolution should be an integer number of milliseconds ≥ 1, got ${describeValue(options.eventLoopResolution)}`,
    );
  }
  const buckets = options.gcDurationBuckets ?? [0.001, 0.01, 0.1, 1, 2, 5];
  checkBuckets('nodejs_gc_duration_seconds', buckets);
  const existing = running.get(registry);
  if (existing !== undefined) return existing;

  registerProcessCpu(registry);
  registerProcessInfo(registry);
  registerProcessMemory(registry);
  registerFileDescriptors(registry);
  registerHeap(registry);
  registerActiveResources(registry);
  const stopLag = registerEventLoopLag(registry, resolution);
  const stopGc = registerGcDuration(registry, buckets);

  const collector: DefaultMetrics = {
    close() {
      if (running.get(registry) !== collector) return;
      running.delete(registry);
      stopLag();
      stopGc();
    },
    [Symbol.dispose]() {
      collector.close();
    },
  };
  running.set(registry, collector);
  return collector;
}
