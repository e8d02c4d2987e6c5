import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  invalidOption,
  optionalBoolean,
  optionalDuration,
  optionalInteger,
  optionalNumber,
  optionalString,
} from '@vigil/core/options';

/** Thresholds of the recent failure rate, as shares in [0, 1]. */
export interface FailureRateThresholds {
  /** Warn when the failure rate is above this; default `0.2`. */
  warn?: number | undefined;
  /** Fail when the failure rate is above this; default `0.5`. */
  fail?: number | undefined;
}

/** Thresholds of a type's backlog: jobs ready to run and waiting for a slot. */
export interface BacklogThresholds {
  /** Warn when more jobs than this wait; default `100`. */
  warn?: number | undefined;
  /** Fail when more jobs than this wait; default: never. */
  fail?: number | undefined;
}

/**
 * Options of `jobsHealthCheck()`. Every optional field also takes `undefined` (its default), so
 * options can be passed through from configuration.
 */
export interface JobsHealthCheckOptions {
  /** The check's name, unique within a monitor; default `'jobs'`. */
  name?: string | undefined;
  /** The health+json component name; default: `name`. */
  component?: string | undefined;
  /** The health+json measurement name; default: none. */
  measurement?: string | undefined;
  /** The health+json `componentType`; default `'component'`. */
  componentType?: string | undefined;
  /**
   * Whether a `fail` makes the whole service `critical` (HTTP 503). Default `false`, as for the
   * other in-process checks (event loop, memory, circuit breakers): failing jobs degrade the
   * service, and taking the instance out of rotation would not make them pass.
   */
  critical?: boolean | undefined;
  /** Weight in the health score; `0` leaves the check out of it. Default: the monitor's (1). */
  weight?: number | undefined;
  /** Whether `check({ quick: true })` runs it; default `true` (it only reads `stats()`). */
  quick?: boolean | undefined;
  /** How long the check may run; default: the monitor's `timeout`. */
  timeout?: DurationInput | undefined;
  /**
   * Grace after a type's `timeout`: overdue attempts (timed out, handler still running) count
   * as stuck once the longest has run longer than `timeout + stuckMargin`. Default `'30s'`.
   */
  stuckMargin?: DurationInput | undefined;
  /** For types without a `timeout`: an attempt running longer than this is stuck. Default `'10m'`. */
  stuckAfter?: DurationInput | undefined;
  /** Thresholds of the failed share of a type's recent (up to 100) attempts. */
  failureRate?: FailureRateThresholds | undefined;
  /** Thresholds of a type's jobs ready to run and waiting (delayed jobs not counted). */
  backlog?: BacklogThresholds | undefined;
  /**
   * The failure rate is judged only over at least this many recent attempts, 1 to 100;
   * default `10`.
   */
  minAttempts?: number | undefined;
}

/** @internal The options every health check has, checked, with defaults. */
export interface CommonCheckConfig {
  name: string;
  component?: string;
  measurement?: string;
  componentType: string;
  critical: boolean;
  weight?: number;
  quick: boolean;
  /** ms. */
  timeout?: number;
}

/** @internal The options checked, with defaults. */
export interface JobsCheckConfig {
  readonly common: Readonly<CommonCheckConfig>;
  readonly stuckMargin: number;
  readonly stuckAfter: number;
  readonly failureRate: { readonly warn: number; readonly fail: number };
  readonly backlog: { readonly warn: number; readonly fail: number };
  readonly minAttempts: number;
}

const OWNER = 'jobsHealthCheck';
const KEYS = [
  'name',
  'component',
  'measurement',
  'componentType',
  'critical',
  'weight',
  'quick',
  'timeout',
  'stuckMargin',
  'stuckAfter',
  'failureRate',
  'backlog',
  'minAttempts',
] as const satisfies readonly (keyof JobsHealthCheckOptions)[];

/**
 * @internal Checks the options of `jobsHealthCheck()`.
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION`) naming the bad field.
 */
export function jobsCheckConfig(options: JobsHealthCheckOptions | undefined): JobsCheckConfig {
  const given = checkOptionsObject(OWNER, options, KEYS) as JobsHealthCheckOptions;
  const common: CommonCheckConfig = {
    name: optionalString(OWNER, 'name', given.name) ?? 'jobs',
    componentType: optionalString(OWNER, 'componentType', given.componentType) ?? 'component',
    critical: optionalBoolean(OWNER, 'critical', given.critical) ?? false,
    quick: optionalBoolean(OWNER, 'quick', given.quick) ?? true,
  };
  const component = optionalString(OWNER, 'component', given.component);
  if (component !== undefined) common.component = component;
  const measurement = optionalString(OWNER, 'measurement', given.measurement);
  if (measurement !== undefined) common.measurement = measurement;
  const weight = optionalNumber(OWNER, 'weight', given.weight, { min: 0 });
  if (weight !== undefined) common.weight = weight;
  const timeout = optionalDuration(OWNER, 'timeout', given.timeout, { positive: true });
  if (timeout !== undefined) common.timeout = timeout;

  const failureRate = thresholds(
    'failureRate',
    given.failureRate,
    { warn: 0.2, fail: 0.5 },
    (field, value) => optionalNumber(OWNER, field, value, { min: 0, max: 1 }),
  );
  const backlog = thresholds(
    'backlog',
    given.backlog,
    { warn: 100, fail: Infinity },
    (field, value) => optionalInteger(OWNER, field, value, { min: 0 }),
  );
  return {
    common,
    stuckMargin: optionalDuration(OWNER, 'stuckMargin', given.stuckMargin) ?? 30_000,
    stuckAfter:
      optionalDuration(OWNER, 'stuckAfter', given.stuckAfter, { positive: true }) ?? 600_000,
    failureRate,
    backlog,
    minAttempts:
      optionalInteger(OWNER, 'minAttempts', given.minAttempts, { min: 1, max: 100 }) ?? 10,
  };
}

/**
 * A `{ warn, fail }` pair: each checked, defaults for those left out. A default `warn` above a
 * given `fail` comes down to it (`{ fail: 0.1 }` fails above 10 % and warns from there too);
 * both given, `fail` below `warn` is an error.
 */
function thresholds(
  field: string,
  value: unknown,
  defaults: { readonly warn: number; readonly fail: number },
  check: (field: string, value: unknown) => number | undefined,
): { readonly warn: number; readonly fail: number } {
  const given = checkOptionsObject(`${OWNER}: ${field}`, value, ['warn', 'fail']);
  const warn = check(`${field}.warn`, given['warn']);
  const fail = check(`${field}.fail`, given['fail']) ?? Math.max(defaults.fail, warn ?? 0);
  if (warn !== undefined && fail < warn) {
    throw invalidOption(
      OWNER,
      `${field}.fail (${fail}) should be at least ${field}.warn (${warn})`,
    );
  }
  return { warn: warn ?? Math.min(defaults.warn, fail), fail };
}
