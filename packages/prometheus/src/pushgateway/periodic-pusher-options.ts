import {
  type Clock,
  type DurationInput,
  type OnError,
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
  optionalChoice,
  optionalClock,
  optionalDuration,
  optionalOnError,
  optionalTimers,
} from '@vigil/core/options';
import type { Pushgateway } from './pushgateway.js';

/**
 * Options of `new PeriodicPusher(options)`. Every optional field also takes `undefined` (its
 * default), so options can be passed through from configuration.
 */
export interface PeriodicPusherOptions {
  /** The client that pushes: its job, grouping labels and registry. */
  gateway: Pushgateway;
  /** Time between two pushes. Default `'15s'`. */
  interval?: DurationInput | undefined;
  /** `'push'` (default) replaces the group each time (PUT); `'pushAdd'` uses POST. */
  method?: 'push' | 'pushAdd' | undefined;
  /**
   * Delete the group after the last push on `close()`, so that a finished process's metrics do
   * not stay on the Pushgateway. Default false.
   */
  deleteOnClose?: boolean | undefined;
  /**
   * Called with a push that failed, with `{ source: 'PeriodicPusher <url>', operation }`.
   * Default: a `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) once per operation.
   */
  onError?: OnError | undefined;
  /** Where pushes are scheduled; for tests. Default: Node's timers, unref'ed. */
  timers?: Timers | undefined;
  /** Time of `stats().lastSuccess`. Default `Date.now`. */
  clock?: Clock | undefined;
}

/** @internal The options checked, with defaults. */
export interface PeriodicPusherConfig {
  readonly gateway: Pushgateway;
  readonly interval: number;
  readonly method: 'push' | 'pushAdd';
  readonly deleteOnClose: boolean;
  readonly onError: OnError | undefined;
  readonly timers: Timers;
  readonly clock: Clock;
}

const OWNER = 'PeriodicPusher';
const OPTIONS = [
  'gateway',
  'interval',
  'method',
  'deleteOnClose',
  'onError',
  'timers',
  'clock',
] as const satisfies readonly (keyof PeriodicPusherOptions)[];

/**
 * @internal Checks `new PeriodicPusher()`'s options once, with core's option checks.
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION`) naming the field.
 */
export function periodicPusherConfig(options: PeriodicPusherOptions): PeriodicPusherConfig {
  const given = checkOptionsObject(OWNER, options, OPTIONS, { required: true });
  // By shape, not `instanceof`: the ESM and the CommonJS build each have their own class.
  if (!hasMethods(given.gateway, ['push', 'pushAdd', 'delete'])) {
    throw invalidOption(
      OWNER,
      `gateway should be a Pushgateway (new Pushgateway({ url, job, registry })), got ${describeValue(given.gateway)}`,
    );
  }
  return {
    gateway: given.gateway as Pushgateway,
    interval: optionalDuration(OWNER, 'interval', given.interval, { positive: true }) ?? 15_000,
    method: optionalChoice(OWNER, 'method', given.method, ['push', 'pushAdd']) ?? 'push',
    deleteOnClose: optionalBoolean(OWNER, 'deleteOnClose', given.deleteOnClose) ?? false,
    onError: optionalOnError(OWNER, 'onError', given.onError),
    timers: optionalTimers(OWNER, 'timers', given.timers) ?? systemTimers,
    clock: optionalClock(OWNER, 'clock', given.clock) ?? systemClock,
  };
}
