import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { MetricFactory } from './metric-factory.js';

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** `nodejs_gc_duration_seconds{kind}`, from a `PerformanceObserver` on `gc` entries. */
export function registerGcDuration(
  registry: MetricFactory,
  buckets: readonly number[],
): () => void {
  const histogram = registry.histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets,
  });
  const byKind = new Map(
    Object.entries(KINDS).map(([flag, kind]) => [Number(flag), histogram.labels({ kind })]),
  );
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== undefined) byKind.get(kind)?.observe(entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
