import { VigilError } from '@vigil/core';

/**
 * Every stable error code of `@vigil/timers`, each one explained in `docs/errors.md`. Bad options
 * throw core's `ConfigurationError` instead (`INVALID_OPTION`, `INVALID_DURATION`).
 */
export const TIMERS_ERROR_CODES = [
  'TIMERS_INVALID_METRIC',
  'TIMERS_INVALID_DECORATOR',
  'TIMERS_INVALID_BASELINES',
] as const;

/** A stable error code of `@vigil/timers`. */
export type TimersErrorCode = (typeof TIMERS_ERROR_CODES)[number];

/**
 * A mistake in how timers are used: something that is not a histogram or summary, `@timed` on
 * something other than a method, or malformed baselines. Always thrown, at the boundary
 * (starting a timer, decoration, import), never from a timer's stop.
 */
export class TimersError extends VigilError {
  static override readonly brand = 'vigil.timers.TimersError';
  declare readonly code: TimersErrorCode;

  constructor(code: TimersErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
