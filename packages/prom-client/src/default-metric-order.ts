import type { Aggregator } from './types.js';

/**
 * prom-client's default metrics in the order it registers them, with the aggregator each has in
 * prom-client (for `AggregatorRegistry`); names without the `prefix`.
 */
export const DEFAULT_METRICS: readonly (readonly [name: string, aggregator: Aggregator])[] = [
  ['process_cpu_user_seconds_total', 'sum'],
  ['process_cpu_system_seconds_total', 'sum'],
  ['process_cpu_seconds_total', 'sum'],
  ['process_start_time_seconds', 'omit'],
  ['process_resident_memory_bytes', 'sum'],
  ['process_virtual_memory_bytes', 'sum'],
  ['process_heap_bytes', 'sum'],
  ['process_open_fds', 'sum'],
  ['process_max_fds', 'sum'],
  ['nodejs_eventloop_lag_seconds', 'average'],
  ['nodejs_eventloop_lag_min_seconds', 'min'],
  ['nodejs_eventloop_lag_max_seconds', 'max'],
  ['nodejs_eventloop_lag_mean_seconds', 'average'],
  ['nodejs_eventloop_lag_stddev_seconds', 'average'],
  ['nodejs_eventloop_lag_p50_seconds', 'average'],
  ['nodejs_eventloop_lag_p90_seconds', 'average'],
  ['nodejs_eventloop_lag_p99_seconds', 'average'],
  ['nodejs_active_resources', 'sum'],
  ['nodejs_active_resources_total', 'sum'],
  ['nodejs_active_handles', 'sum'],
  ['nodejs_active_handles_total', 'sum'],
  ['nodejs_active_requests', 'sum'],
  ['nodejs_active_requests_total', 'sum'],
  ['nodejs_heap_size_total_bytes', 'sum'],
  ['nodejs_heap_size_used_bytes', 'sum'],
  ['nodejs_external_memory_bytes', 'sum'],
  ['nodejs_heap_space_size_total_bytes', 'sum'],
  ['nodejs_heap_space_size_used_bytes', 'sum'],
  ['nodejs_heap_space_size_available_bytes', 'sum'],
  ['nodejs_version_info', 'first'],
  ['nodejs_gc_duration_seconds', 'sum'],
];
