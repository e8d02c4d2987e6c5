import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DurationInput } from '@vigil/core';
import { invalidOption, optionalDuration, optionalNumber } from '@vigil/core/options';
import type { CheckOptions, CheckOutcome, HealthCheck } from '../health-check.js';
import { builtInCheck, roundMs } from './built-in-check.js';

/** The part of Node's `IntervalHistogram` (`monitorEventLoopDelay()`) the check reads. */
export interface EventLoopHistogram {
  enable(): unknown;
  disable(): unknown;
  reset(): void;
  /** Nanoseconds. */
  percentile(percentile: number): number;
}

/** Options of `checks.eventLoop()`. */
export interface EventLoopCheckOptions extends CheckOptions {
  /** Delay at or above which the check warns. Default `'200ms'`. */
  warn?: DurationInput | undefined;
  /** Delay at or above which the check fails. Default `'1s'`. */
  fail?: DurationInput | undefined;
  /** Which percentile of the delays since the last run is compared, in (0, 100]. Default `99`. */
  percentile?: number | undefined;
  /** Sampling interval of the delay monitor, ms. Default `20`. */
  resolution?: number | undefined;
  /**
   * A histogram to read instead of one of the check's own (which it enables on start and
   * disables on close): one you already run, or a stub in tests. Values in nanoseconds.
   */
  histogram?: EventLoopHistogram | undefined;
}

const OWNER = 'checks.eventLoop';

/**
 * Event-loop delay: the given percentile (p99 by default) of the delays sampled since the
 * previous run, against `warn` and `fail`. Non-critical and quick by default; keyed
 * `eventLoop:delay`, observed in `ms`.
 */
export function eventLoop(options: EventLoopCheckOptions = {}): HealthCheck {
  const warn = optionalDuration(OWNER, 'warn', options.warn) ?? 200;
  const fail = optionalDuration(OWNER, 'fail', options.fail) ?? 1_000;
  if (fail < warn) {
    throw invalidOption(OWNER, `fail (${fail} ms) should be at least warn (${warn} ms)`);
  }
  const percentile = optionalNumber(OWNER, 'percentile', options.percentile, { min: 0 }) ?? 99;
  if (percentile === 0 || percentile > 100) {
    throw invalidOption(OWNER, `percentile should be in (0, 100], such as 99, got ${percentile}`);
  }
  const resolution = optionalNumber(OWNER, 'resolution', options.resolution, { min: 1 }) ?? 20;
  const own = options.histogram === undefined;
  const histogram = options.histogram ?? monitorEventLoopDelay({ resolution });
  if (typeof histogram.percentile !== 'function' || typeof histogram.reset !== 'function') {
    throw invalidOption(
      OWNER,
      'histogram should be an IntervalHistogram from monitorEventLoopDelay()',
    );
  }
  let users = 0;
  const run = (): CheckOutcome => {
    const delay = roundMs(histogram.percentile(percentile) / 1e6);
    histogram.reset();
    const at = `p${percentile} event-loop delay ${delay} ms`;
    if (delay >= fail) {
      return {
        status: 'fail',
        observedValue: delay,
        observedUnit: 'ms',
        output: `${at}, at or above ${fail} ms`,
      };
    }
    if (delay >= warn) {
      return {
        status: 'warn',
        observedValue: delay,
        observedUnit: 'ms',
        output: `${at}, at or above ${warn} ms`,
      };
    }
    return { status: 'pass', observedValue: delay, observedUnit: 'ms' };
  };
  return builtInCheck(
    OWNER,
    options,
    ['warn', 'fail', 'percentile', 'resolution', 'histogram'],
    {
      name: 'eventLoop',
      measurement: 'delay',
      componentType: 'system',
      critical: false,
      quick: true,
    },
    {
      run,
      start: () => {
        if (users++ === 0 && own) histogram.enable();
      },
      close: () => {
        if (users > 0 && --users === 0 && own) histogram.disable();
      },
    },
  );
}
