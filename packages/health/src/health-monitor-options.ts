import type { DurationInput, Registry } from '@vigil/core';
import type { HealthCheck } from './health-check.js';
import { type ResolvedCheck, resolveChecks } from './resolved-check.js';
import type { Clock } from './run-check.js';
import {
  checkClock,
  checkKeys,
  checkRegistry,
  duration,
  optionalChoice,
  optionalString,
} from './validate.js';

/** When the startup probe passes. */
export type StartupMode = 'auto' | 'manual';
/** Which checks the readiness probe runs once the service has started. */
export type ReadinessMode = 'quick' | 'full' | 'none';

/** Options of `new HealthMonitor(options)`. */
export interface HealthMonitorOptions {
  /** The checks, run concurrently. Names must be unique. */
  checks?: readonly HealthCheck[];
  /** Default timeout of a check, for the checks that set none. Default `'1s'`. */
  timeout?: DurationInput;
  /**
   * How long a report is served again instead of running the checks: a health endpoint under
   * load then queries the database at most once per `cacheFor`. `0` turns caching off
   * (concurrent callers still share one run). Default `'1s'`.
   */
  cacheFor?: DurationInput;
  /**
   * Runs the full checks in the background every `interval` (first one `interval` after
   * construction), keeping the cache warm and the metrics current. Default: off.
   */
  interval?: DurationInput;
  /**
   * `'auto'` (default): the startup probe passes once `markStarted()` was called or a full
   * check finished without a critical failure. `'manual'`: only `markStarted()`.
   */
  startup?: StartupMode;
  /**
   * What readiness runs once started: `'quick'` (default) the quick checks, `'full'` every
   * check, `'none'` no check. It fails on a `critical` status, and always after
   * `beginShutdown()`.
   */
  readiness?: ReadinessMode;
  /** The service's version: in reports and health+json. */
  version?: string;
  /** The health+json `releaseId`. */
  releaseId?: string;
  /** The health+json `serviceId`. */
  serviceId?: string;
  /** The health+json `description`. */
  description?: string;
  /** Keep `vigil_health_*` metrics in this registry. */
  registry?: Registry;
  /** Wall clock in ms, for the cache, `time` stamps and uptime. Default `Date`. */
  clock?: Clock;
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
] as const;

/** @internal Checks the options once, at construction. */
export function monitorConfig(options: HealthMonitorOptions): MonitorConfig {
  checkKeys(OWNER, options, KEYS);
  checkRegistry(OWNER, options.registry);
  checkClock(OWNER, options.clock);
  const timeout = duration(OWNER, 'timeout', options.timeout ?? '1s', true);
  const service: MonitorConfig['service'] = {};
  for (const field of ['version', 'releaseId', 'serviceId', 'description'] as const) {
    const value = optionalString(OWNER, field, options[field]);
    if (value !== undefined) service[field] = value;
  }
  return {
    checks: resolveChecks(OWNER, options.checks, timeout),
    cacheFor: duration(OWNER, 'cacheFor', options.cacheFor ?? '1s'),
    interval:
      options.interval === undefined
        ? undefined
        : duration(OWNER, 'interval', options.interval, true),
    startup: optionalChoice(OWNER, 'startup', options.startup, ['auto', 'manual']) ?? 'auto',
    readiness:
      optionalChoice(OWNER, 'readiness', options.readiness, ['quick', 'full', 'none']) ?? 'quick',
    service,
    registry: options.registry,
    clock: options.clock ?? Date,
  };
}
