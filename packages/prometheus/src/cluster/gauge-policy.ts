import { describeValue, invalidOption } from '@vigil/core/options';

/**
 * What the aggregate shows for a gauge that several workers report:
 *
 * - `'sum'`: the workers' values added, per label set (in-flight requests, queue depth, memory);
 * - `'min'` / `'max'`: the smallest / largest value (NaN values ignored unless all are NaN);
 * - `'average'`: the mean (as prom-client's `'average'`, for lags and ratios);
 * - `'first'`: the value of the first worker that has the series (versions, limits, flags);
 * - `'omit'`: the metric is left out of the aggregate (per-process start times);
 * - `'perWorker'`: one series per worker, told apart by a `worker` label.
 */
export type GaugePolicy = 'sum' | 'min' | 'max' | 'average' | 'first' | 'omit' | 'perWorker';

/** Gauge policies: one for every gauge, and exceptions by metric name. */
export interface GaugePolicies {
  /** The policy of every gauge not named in `metrics`; default `'sum'`. */
  default?: GaugePolicy | undefined;
  /**
   * Policies by metric name (the name as exposed, prefix included), over `default` and over
   * `DEFAULT_GAUGE_POLICIES`: `{ queue_depth: 'max', build_info: 'first' }`.
   */
  metrics?: Readonly<Record<string, GaugePolicy>> | undefined;
}

export const GAUGE_POLICIES: readonly GaugePolicy[] = [
  'sum',
  'min',
  'max',
  'average',
  'first',
  'omit',
  'perWorker',
];

/**
 * The policies that apply to the process metrics of `collectDefaultMetrics` (prom-client's names)
 * unless `gauges.metrics` says otherwise, so that a cluster's start time or version is not added
 * up: prom-client's own choices (start time omitted, version first, event-loop lag averaged, its
 * minimum the least), and the first worker's file-descriptor limit (prom-client sums it).
 */
export const DEFAULT_GAUGE_POLICIES: Readonly<Record<string, GaugePolicy>> = Object.freeze({
  process_start_time_seconds: 'omit',
  nodejs_version_info: 'first',
  process_max_fds: 'first',
  nodejs_eventloop_lag_seconds: 'average',
  nodejs_eventloop_lag_min_seconds: 'min',
});

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** @internal Chooses the policy of each gauge by name. */
export type GaugePolicyOf = (metric: string) => GaugePolicy;

/**
 * @internal Checks the `gauges` option (a policy, or `{ default, metrics }`) and returns the
 * lookup.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the bad entry.
 */
export function gaugePolicies(owner: string, value: unknown): GaugePolicyOf {
  if (value === undefined) return byName('sum', {});
  if (typeof value === 'string') return byName(checkPolicy(owner, 'gauges', value), {});
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      owner,
      `gauges should be a policy (${GAUGE_POLICIES.join(', ')}) or { default?, metrics? }, got ${describeValue(value)}`,
    );
  }
  const given = value as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (key !== 'default' && key !== 'metrics') {
      throw invalidOption(
        owner,
        `gauges: unknown option '${key}'; the options are default, metrics (put per-metric policies under metrics: { ${key}: '…' })`,
      );
    }
  }
  const fallback =
    given.default === undefined ? 'sum' : checkPolicy(owner, 'gauges.default', given.default);
  const metrics = given.metrics;
  if (metrics === undefined) return byName(fallback, {});
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
    throw invalidOption(
      owner,
      `gauges.metrics should be an object of metric name → policy, got ${describeValue(metrics)}`,
    );
  }
  const named: Record<string, GaugePolicy> = {};
  for (const [name, policy] of Object.entries(metrics)) {
    if (!METRIC_NAME.test(name)) {
      throw invalidOption(
        owner,
        `gauges.metrics: '${name}' should be a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*`,
      );
    }
    named[name] = checkPolicy(owner, `gauges.metrics.${name}`, policy);
  }
  return byName(fallback, named);
}

function checkPolicy(owner: string, field: string, value: unknown): GaugePolicy {
  if (!GAUGE_POLICIES.includes(value as GaugePolicy)) {
    throw invalidOption(
      owner,
      `${field} should be one of ${GAUGE_POLICIES.map((p) => `'${p}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value as GaugePolicy;
}

function byName(fallback: GaugePolicy, named: Record<string, GaugePolicy>): GaugePolicyOf {
  const table = new Map<string, GaugePolicy>(Object.entries(DEFAULT_GAUGE_POLICIES));
  for (const [name, policy] of Object.entries(named)) table.set(name, policy);
  return (metric) => table.get(metric) ?? fallback;
}
