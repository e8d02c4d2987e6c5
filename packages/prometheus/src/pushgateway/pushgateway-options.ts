import {
  type Clock,
  type DurationInput,
  systemClock,
  systemTimers,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalChoice,
  optionalClock,
  optionalDuration,
  optionalString,
  optionalTimers,
  required,
} from '@vigil/core/options';
import type { MetricsSource } from '../metrics-source.js';
import { type BasicAuth, requestHeaders } from '../request-headers.js';
import { type GroupingLabels, groupingLabelProblem } from './grouping-path.js';

/** How a push is encoded: the text format 0.0.4, or delimited protobuf. */
export type PushFormat = 'text' | 'protobuf';

/** The `User-Agent` of Pushgateway requests, unless `headers` sets one. */
const USER_AGENT = 'vigil-prometheus-pushgateway';

/**
 * Options of `new Pushgateway(options)`. Every optional field also takes `undefined` (its
 * default), so options can be passed through from configuration.
 */
export interface PushgatewayOptions {
  /** The Pushgateway's base URL, such as `'http://127.0.0.1:9091'` (a path prefix is kept). */
  url: string;
  /** The `job` label of the group. */
  job: string;
  /** The group's other labels, such as `{ instance: 'batch-7' }`. Default none. */
  groupingLabels?: GroupingLabels | undefined;
  /** What is pushed: a `Registry`, or a cluster aggregator. */
  registry: MetricsSource;
  /**
   * `'text'` (default) sends the Prometheus text format 0.0.4; `'protobuf'` the delimited
   * protobuf format. The Pushgateway accepts no OpenMetrics text.
   */
  format?: PushFormat | undefined;
  /** Headers sent with every request, such as a tenant header. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** HTTP basic authentication. Not with `bearerToken` nor an `Authorization` header. */
  basicAuth?: BasicAuth | undefined;
  /** Sent as `Authorization: Bearer <token>`. Not with `basicAuth`. */
  bearerToken?: string | undefined;
  /** How long a request may take before it fails. Default `'10s'`. */
  timeout?: DurationInput | undefined;
  /** Where the timeout is scheduled; for tests. Default: Node's timers. */
  timers?: Timers | undefined;
  /** For `Retry-After` dates in errors. Default `Date.now`. */
  clock?: Clock | undefined;
}

/** @internal The options checked, with defaults. */
export interface PushgatewayConfig {
  readonly url: string;
  readonly job: string;
  readonly groupingLabels: GroupingLabels;
  readonly source: MetricsSource;
  readonly format: PushFormat;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeout: number;
  readonly timers: Timers;
  readonly clock: Clock;
}

const OWNER = 'Pushgateway';
const OPTIONS = [
  'url',
  'job',
  'groupingLabels',
  'registry',
  'format',
  'headers',
  'basicAuth',
  'bearerToken',
  'timeout',
  'timers',
  'clock',
] as const satisfies readonly (keyof PushgatewayOptions)[];

/**
 * @internal Checks `new Pushgateway()`'s options once, with core's option checks.
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION`) naming the field.
 */
export function pushgatewayConfig(options: PushgatewayOptions): PushgatewayConfig {
  const given = checkOptionsObject(OWNER, options, OPTIONS, { required: true });
  const url = checkUrl(
    required(
      OWNER,
      'url',
      optionalString(OWNER, 'url', given.url),
      "such as 'http://127.0.0.1:9091'",
    ),
  );
  if (given.job === undefined)
    throw invalidOption(OWNER, "job is required: such as 'nightly-export'");
  const job = checkJob(OWNER, given.job);
  if (!hasMethods(given.registry, ['metrics', 'snapshot'])) {
    throw invalidOption(
      OWNER,
      `registry should be a Registry from @vigil/core (or a cluster aggregator), got ${describeValue(given.registry)}`,
    );
  }
  return {
    url,
    job,
    groupingLabels: checkGroupingLabels(OWNER, given.groupingLabels),
    source: given.registry as MetricsSource,
    format: optionalChoice(OWNER, 'format', given.format, ['text', 'protobuf']) ?? 'text',
    headers: requestHeaders(OWNER, given, { userAgent: USER_AGENT }),
    timeout: optionalDuration(OWNER, 'timeout', given.timeout, { positive: true }) ?? 10_000,
    timers: optionalTimers(OWNER, 'timers', given.timers) ?? systemTimers,
    clock: optionalClock(OWNER, 'clock', given.clock) ?? systemClock,
  };
}

/** @internal Checks a job name: a non-empty string. */
export function checkJob(owner: string, job: unknown): string {
  if (typeof job !== 'string' || job === '') {
    throw invalidOption(
      owner,
      `job should be a non-empty string, such as 'nightly-export', got ${describeValue(job)}`,
    );
  }
  return job;
}

/** @internal Checks grouping labels: names valid, values strings, no `job`. */
export function checkGroupingLabels(owner: string, labels: unknown): GroupingLabels {
  if (labels === undefined) return {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw invalidOption(
      owner,
      `groupingLabels should be an object of label names to values, such as { instance: 'batch-7' }, got ${describeValue(labels)}`,
    );
  }
  for (const [name, value] of Object.entries(labels)) {
    const problem = groupingLabelProblem(name, value);
    if (problem !== undefined) throw invalidOption(owner, `groupingLabels: ${problem}`);
  }
  return { ...(labels as GroupingLabels) };
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOption(
      OWNER,
      `url should be an http(s) URL such as 'http://127.0.0.1:9091', got ${describeValue(url)}`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidOption(OWNER, `url should use http or https, got ${describeValue(url)}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalidOption(
      OWNER,
      `url should have no query or fragment (the group's path is appended), got ${describeValue(url)}`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalidOption(
      OWNER,
      'url should not carry a user or password (they would be logged); use basicAuth',
    );
  }
  return url.replace(/\/+$/, '');
}
