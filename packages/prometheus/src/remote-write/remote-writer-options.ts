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
  describeValue,
  hasMethods,
  invalidOption,
  optionalBoolean,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalOnError,
  optionalString,
  optionalTimers,
} from '@vigil/core/options';
import type { MetricsSource } from '../metrics-source.js';
import { type BasicAuth, requestHeaders } from '../request-headers.js';
import { stringRecord } from '../string-record-option.js';
import { type RemoteWriteRetryOptions, retryPolicy } from './remote-write-retry-options.js';
import type { RetryPolicy } from './retry-policy.js';

/** The `User-Agent` of remote-write requests, unless `headers` sets one. */
export const REMOTE_WRITE_USER_AGENT = 'vigil-prometheus-remote-write';

/** Headers remote write 1.0 fixes; `headers` may not set them. */
const PROTOCOL_HEADERS: Readonly<Record<string, string>> = {
  'content-encoding': 'snappy',
  'content-type': 'application/x-protobuf',
  'x-prometheus-remote-write-version': '0.1.0',
};

/**
 * Options of `new RemoteWriter(options)`. `url` and `registry` are required; every other field is
 * optional and also takes `undefined` (the default).
 */
export interface RemoteWriterOptions {
  /** The receiver's remote-write endpoint, such as `http://127.0.0.1:9090/api/v1/write`. */
  url: string | URL;
  /**
   * What is written: a `Registry` (its snapshot at each write, async `collect` callbacks awaited
   * first), or anything that snapshots like one, such as a cluster aggregator.
   */
  registry: MetricsSource;
  /** Time between two periodic writes; the first is `interval` after start. Default `'15s'`. */
  interval?: DurationInput | undefined;
  /** Longest wait for one request's answer, body included. Default `'10s'`. */
  timeout?: DurationInput | undefined;
  /** Start the periodic writes at construction. Default `true`; else call `start()`. */
  autoStart?: boolean | undefined;
  /** Extra request headers, such as `X-Scope-OrgID` for Mimir or Cortex. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** HTTP basic authentication. Not with `bearerToken` nor an `Authorization` header. */
  basicAuth?: BasicAuth | undefined;
  /** Sent as `Authorization: Bearer <token>`. Not with `basicAuth`. */
  bearerToken?: string | undefined;
  /** Most samples (series: one sample each) per request; a write splits into requests. Default 2000. */
  maxSamplesPerSend?: number | undefined;
  /** How failed requests are sent again (5xx, 429, no answer). Default 3 attempts, 100 ms to 5 s. */
  retries?: RemoteWriteRetryOptions | undefined;
  /** Labels added to every series that lacks them, such as `{ cluster: 'eu-1' }`. */
  externalLabels?: Readonly<Record<string, string>> | undefined;
  /** This writer's name: the `remote` label of its metrics and in errors. Default the URL's host. */
  name?: string | undefined;
  /**
   * Keep the `vigil_remote_write_*` metrics in `registry` when it is a `Registry` (they are then
   * written with it, one write behind). Default `true`.
   */
  ownMetrics?: boolean | undefined;
  /** Wall clock in ms: the timestamp of each write. Default core's `systemClock`. */
  clock?: Clock | undefined;
  /** Where the interval, timeouts and backoff waits are scheduled. Default core's `systemTimers`. */
  timers?: Timers | undefined;
  /**
   * Called with a periodic or final write that failed (a `PushError`). Default: a `VigilWarning`
   * (`VIGIL_BACKGROUND_ERROR`) once per kind of failure.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface WriterConfig {
  readonly url: string;
  readonly source: MetricsSource;
  /** `source` when it is a `Registry` and `ownMetrics` is on: where the writer counts. */
  readonly metricsRegistry: Registry | undefined;
  readonly interval: number;
  readonly timeout: number;
  readonly autoStart: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly maxSamplesPerSend: number;
  readonly retries: RetryPolicy;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly name: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

const OWNER = 'RemoteWriter';
const KEYS = [
  'url',
  'registry',
  'interval',
  'timeout',
  'autoStart',
  'headers',
  'basicAuth',
  'bearerToken',
  'maxSamplesPerSend',
  'retries',
  'externalLabels',
  'name',
  'ownMetrics',
  'clock',
  'timers',
  'onError',
] as const satisfies readonly (keyof RemoteWriterOptions)[];

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * @internal Checks the options once, at construction, with core's option checks: each throws
 * `ConfigurationError` (`INVALID_OPTION`, or `INVALID_DURATION` for a duration) naming the field,
 * the bad value and what would be right.
 */
export function writerConfig(options: RemoteWriterOptions): WriterConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const url = endpoint(given.url);
  const source = metricsSource(given.registry);
  const ownMetrics = optionalBoolean(OWNER, 'ownMetrics', given.ownMetrics) ?? true;
  return {
    url: url.href,
    source,
    metricsRegistry: ownMetrics && isRegistry(source) ? (source as Registry) : undefined,
    interval: optionalDuration(OWNER, 'interval', given.interval, { positive: true }) ?? 15_000,
    timeout: optionalDuration(OWNER, 'timeout', given.timeout, { positive: true }) ?? 10_000,
    autoStart: optionalBoolean(OWNER, 'autoStart', given.autoStart) ?? true,
    headers: requestHeaders(OWNER, given, {
      userAgent: REMOTE_WRITE_USER_AGENT,
      fixed: PROTOCOL_HEADERS,
    }),
    maxSamplesPerSend:
      optionalInteger(OWNER, 'maxSamplesPerSend', given.maxSamplesPerSend, { min: 1 }) ?? 2_000,
    retries: retryPolicy(OWNER, given.retries),
    externalLabels: externalLabels(given.externalLabels),
    name: optionalString(OWNER, 'name', given.name) ?? url.host,
    clock: optionalClock(OWNER, 'clock', given.clock) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', given.timers) ?? systemTimers,
    onError: optionalOnError(OWNER, 'onError', given.onError),
  };
}

function endpoint(value: unknown): URL {
  const example = "such as 'http://127.0.0.1:9090/api/v1/write'";
  if (value === undefined)
    throw invalidOption(OWNER, `url is required: the receiver's endpoint, ${example}`);
  const text = value instanceof URL ? value.href : value;
  const url = typeof text === 'string' && URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalidOption(
      OWNER,
      `url should be an http or https URL, ${example}, got ${describeValue(value)}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidOption(
      OWNER,
      'url should not hold credentials; pass them as basicAuth: { username, password }',
    );
  }
  return url;
}

function metricsSource(value: unknown): MetricsSource {
  const expected = 'a Registry from @vigil/core (or a cluster aggregator), such as new Registry()';
  if (value === undefined) throw invalidOption(OWNER, `registry is required: ${expected}`);
  if (!hasMethods(value, ['metrics', 'snapshot'])) {
    throw invalidOption(OWNER, `registry should be ${expected}, got ${describeValue(value)}`);
  }
  return value as MetricsSource;
}

function isRegistry(value: MetricsSource): boolean {
  return hasMethods(value, ['counter', 'gauge', 'histogram', 'summary']);
}

function externalLabels(value: unknown): Readonly<Record<string, string>> {
  const labels = stringRecord(OWNER, 'externalLabels', value, "such as { cluster: 'eu-1' }");
  for (const [name, text] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw invalidOption(
        OWNER,
        `externalLabels: ${describeValue(name)} is not a label name; use letters, digits and _, not starting with a digit or __`,
      );
    }
    if (text === '') {
      throw invalidOption(OWNER, `externalLabels.${name} should be a non-empty string, got ""`);
    }
  }
  return labels;
}
