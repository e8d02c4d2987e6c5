import type { Registry } from '@vigil/core';
import { describeValue, hasMethods, invalidOption } from '@vigil/core/options';
import { HttpMetrics } from '@vigil/http';
import { getRegistry } from './global-registry.js';
import { readSlot, writeSlot } from './global-slot.js';

const HTTP_METRICS_KEY = Symbol.for('vigil.next.httpMetrics');

interface MetricsSlot {
  /** The registry the metrics were created for; undefined when `setHttpMetrics()` pinned them. */
  readonly registry: Registry | undefined;
  readonly metrics: HttpMetrics;
}

/**
 * The process-wide request metrics that `withVigil()` records into: the ones `setHttpMetrics()`
 * set, or else `new HttpMetrics({ registry: getRegistry() })`, created on first use and again
 * when `setRegistry()` changes the registry.
 */
export function getHttpMetrics(): HttpMetrics {
  const slot = readSlot<MetricsSlot>(HTTP_METRICS_KEY);
  const registry = getRegistry();
  if (slot !== undefined && (slot.registry === undefined || slot.registry === registry)) {
    return slot.metrics;
  }
  const metrics = new HttpMetrics({ registry });
  writeSlot(HTTP_METRICS_KEY, { registry, metrics } satisfies MetricsSlot);
  return metrics;
}

/**
 * Makes `metrics` (an `HttpMetrics` from `@vigil/http`, built with your own buckets or limits) the
 * process-wide request metrics; undefined goes back to the default. Returns it. Call it in
 * `register()` of `instrumentation.ts`, after `setRegistry()`, with metrics on that registry.
 *
 * @throws ConfigurationError `INVALID_OPTION` when `metrics` is not an `HttpMetrics`.
 */
export function setHttpMetrics<M extends HttpMetrics | undefined>(metrics: M): M {
  if (metrics !== undefined && !hasMethods(metrics, ['start', 'end'])) {
    throw invalidOption(
      'setHttpMetrics',
      `metrics should be an HttpMetrics from @vigil/http, got ${describeValue(metrics)}`,
    );
  }
  writeSlot(
    HTTP_METRICS_KEY,
    metrics === undefined ? undefined : ({ registry: undefined, metrics } satisfies MetricsSlot),
  );
  return metrics;
}
