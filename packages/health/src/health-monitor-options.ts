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
  optionalChoice,
  optionalClock,
  optionalDuration,
  optionalOnError,
  optionalRegistry,
  optionalString,
  optionalTimers,
} from '@vigil/core/options';
import type { HealthCheck } from './health-check.js';
import { type ResolvedCheck, resolveChecks } from './resolved-check.js';

/** When the startup probe passes. */
export type StartupMode = 'auto' | 'manual';
/** Which checks the readiness probe runs once the service has started. */
export type ReadinessMode = 'quick' | 'full' | 'none';

/**
 * Options of `new HealthMonitor(options)`. Every field is optional and also takes `undefined`
 * (the default), so options can be passed through from configuration.
 */
export interface HealthMonitorOptions {
  /** The checks, run concurrently. Names must be unique. */
  checks?: readonly HealthCheck[] | undefined;
  /** Default timeout of a check, for the checks that set none. Default `'1s'`. */
  timeout?: DurationInput | undefined;
  /**
   * How long a report is served again instead of running the checks: a health endpoint under
   * load then queries the database at most once per `cacheFor`. `0` turns caching off
   * (concurrent callers still share one run). Default `'1s'`.
   */
  cacheFor?: DurationInput | undefined;
  /**
   * Runs the full checks in the background every `interval` (first one `interval` after
   * construction), keeping the cache warm and the metrics current. Default: off.
   */
  interval?: DurationInput | undefined;
  /**
   * `'auto'` (default): the startup probe passes once `markStarted()` was called or a full
   * check finished without a critical failure. `'manual'`: only `markStarted()`.
   */
  startup?: StartupMode | undefined;
  /**
   * What readiness runs once started: `'quick'` (default) the quick checks, `'full'` every
   * check, `'none'` no check. It fails on a `critical` status, and always after
   * `beginShutdown()`.
   */
  readiness?: ReadinessMode | undefined;
  /** The service's version: in reports and health+json. */
  version?: string | undefined;
  /** The health+json `releaseId`. */
  releaseId?: string | undefined;
  /** The health+json `serviceId`. */
  serviceId?: string | undefined;
  /** The health+json `description`. */
  description?: string | undefined;
  /** Keep `vigil_health_*` metrics in this registry. */
  registry?: Registry | undefined;
  /** Wall clock in ms, for the cache, `time` stamps and uptime. Default core's `systemClock`. */
  clock?: Clock | undefined;
  /**
   * Where the monitor schedules its timers (the `interval` runs, each check's timeout). Default
   * core's `systemTimers`, whose timers never keep the process alive.
   */
  timers?: Timers | undefined;
  /**
   * Called with what fails in the background: an `interval` run (only a throwing event listener
   * can make one fail) and a check's `close()` at `monitor.close()`. Default: a `VigilWarning`
   * (`VIGIL_BACKGROUND_ERROR`) once per kind of failure.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface MonitorConfig {
  readonly checks: readonly ResolvedCheck[];
  readonly cacheFor: number;
  readonly interval: number | undefined;
  readonly startup: StartupMode;
  readonly readiness: ReadinessMode;
  readonly service: {
    version?: string;
    releaseId?: string;
    serviceId?: string;
    description?: string;
  };
  readonly registry: Registry | undefined;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

const OWNER = 'HealthMonitor';
const KEYS = [
  'checks',
  'timeout',
  'cacheFor',
  'interval',
  'startup',
  'readiness',
  'version',
  'releaseId',
  'serviceId',
  'description',
  'registry',
  'clock',
  'timers',
  'onError',
] as const satisfies readonly (keyof HealthMonitorOptions)[];

/**
 * @internal Checks the options once, at construction, with core's option checks: each throws
 * `ConfigurationError` (`INVALID_OPTION`, or `INVALID_DURATION` for a duration) naming the field,
 * the bad value and what would be right.
 */
export function monitorConfig(options: HealthMonitorOptions | undefined): MonitorConfig {
  const given = checkOptionsObject(OWNER, options, KEYS);
  const timeout = optionalDuration(OWNER, 'timeout', given.timeout, { positive: true }) ?? 1_000;
  const service: MonitorConfig['service'] = {};
  for (const field of ['version', 'releaseId', 'serviceId', 'description'] as const) {
    const value = optionalString(OWNER, field, given[field]);
    if (value !== undefined) service[field] = value;
  }
  return {
    checks: resolveChecks(OWNER, given.checks, timeout),
    cacheFor: optionalDuration(OWNER, 'cacheFor', given.cacheFor) ?? 1_000,
    interval: optionalDuration(OWNER, 'interval', given.interval, { positive: true }),
    startup: optionalChoice(OWNER, 'startup', given.startup, ['auto', 'manual']) ?? 'auto',
    readiness:
      optionalChoice(OWNER, 'readiness', given.readiness, ['quick', 'full', 'none']) ?? 'quick',
    service,
    registry: optionalRegistry<Registry>(OWNER, 'registry', given.registry),
    clock: optionalClock(OWNER, 'clock', given.clock) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', given.timers) ?? systemTimers,
    onError: optionalOnError(OWNER, 'onError', given.onError),
  };
}
