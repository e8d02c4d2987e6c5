import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalDuration,
  optionalString,
  required,
} from '@vigil/core/options';
import type { TimeSeriesStore } from '@vigil/storage';

/** Options of `jobs.scheduleMaintenance()`. Optional fields also take `undefined`. */
export interface MaintenanceScheduleOptions {
  /** When to replay due dead letters; default `'0 * * * *'` (hourly); `false`: not scheduled. */
  deadLetterReplay?: string | false | undefined;
  /** When to purge what is past retention; default `'0 2 * * *'` (daily at 02:00); `false`: not scheduled. */
  retention?: string | false | undefined;
  /** Also purge this store's series points older than `retention`, in the retention run. */
  timeSeries?: { store: TimeSeriesStore; retention: DurationInput } | undefined;
  /** The time zone of both patterns; default the host's. */
  timezone?: string | undefined;
}

/** @internal The options, checked. */
export interface MaintenanceConfig {
  readonly deadLetterReplay: string | false;
  readonly retention: string | false;
  readonly timeSeries: { readonly store: TimeSeriesStore; readonly retention: number } | undefined;
  readonly timezone: string | undefined;
}

const OWNER = 'JobRunner.scheduleMaintenance';

/** @internal Checks the options (the patterns themselves are checked when scheduled). */
export function maintenanceConfig(options: unknown): MaintenanceConfig {
  const given = checkOptionsObject(OWNER, options, [
    'deadLetterReplay',
    'retention',
    'timeSeries',
    'timezone',
  ]);
  return {
    deadLetterReplay: pattern('deadLetterReplay', given.deadLetterReplay, '0 * * * *'),
    retention: pattern('retention', given.retention, '0 2 * * *'),
    timeSeries: timeSeries(given.timeSeries),
    timezone: optionalString(OWNER, 'timezone', given.timezone),
  };
}

function pattern(field: string, value: unknown, fallback: string): string | false {
  if (value === undefined) return fallback;
  if (value === false || typeof value === 'string') return value;
  throw invalidOption(
    OWNER,
    `${field} should be a cron pattern or false, got ${describeValue(value)}`,
  );
}

function timeSeries(value: unknown): MaintenanceConfig['timeSeries'] {
  if (value === undefined) return undefined;
  const given = checkOptionsObject(`${OWNER}: timeSeries`, value, ['store', 'retention'], {
    required: true,
  });
  if (!hasMethods(given.store, ['deleteBefore'])) {
    throw invalidOption(
      OWNER,
      `timeSeries.store should be a TimeSeriesStore, got ${describeValue(given.store)}`,
    );
  }
  return {
    store: given.store as TimeSeriesStore,
    retention: required(
      OWNER,
      'timeSeries.retention',
      optionalDuration(OWNER, 'timeSeries.retention', given.retention, {
        positive: true,
        max: Number.MAX_SAFE_INTEGER,
      }),
    ),
  };
}
