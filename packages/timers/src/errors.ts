import { VigilError } from '@vigil/core';
import { describeValue as describeAnyValue } from '@vigil/core/options';

/** Every stable error code thrown by `@vigil/timers`. Each one is explained in `docs/errors.md`. */
export type TimersErrorCode =
  | 'TIMERS_INVALID_OPTION'
  | 'TIMERS_INVALID_METRIC'
  | 'TIMERS_INVALID_DECORATOR'
  | 'TIMERS_INVALID_BASELINES';

/**
 * A mistake in how timers are set up: a bad option, something that is not a histogram or
 * summary, `@timed` on something other than a method, or malformed baselines. Always thrown, at
 * the boundary (construction, decoration, import), never from a timer's stop.
 */
export class TimersError extends VigilError {
  override readonly code: TimersErrorCode;

  constructor(code: TimersErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'TimersError';
    this.code = code;
  }
}

/** Renders a value for an error message: core's `describeValue`, but a function by its name and a bigint as written. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return String(value);
  return describeAnyValue(value);
}
