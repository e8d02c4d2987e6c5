// `@vigil/prometheus/merge`: the snapshot merge alone, for a process that only merges snapshots
// (such as @vigil/prom-client's AggregatorRegistry). It loads none of the clients (protobufjs,
// the HTTP server), so importing it costs what @vigil/core costs.
export {
  DEFAULT_GAUGE_POLICIES,
  GAUGE_POLICIES,
  type GaugePolicies,
  type GaugePolicy,
} from './cluster/gauge-policy.js';
export {
  type MergeOptions,
  type MergeResult,
  type MetricMismatch,
  mergeSnapshots,
  type WorkerSnapshot,
} from './cluster/merge-snapshots.js';
export { readSnapshot } from './cluster/read-snapshot.js';
