import { type DurationInput, parseDuration } from '../duration.js';
import { ConfigurationError } from '../errors.js';
import { describeValue } from './describe-value.js';

/** The longest delay `setTimeout` keeps: 2^31 - 1 ms, about 24.8 days. */
export const MAX_TIMER_DELAY = 2_147_483_647;

/** What `optionalDuration` accepts beyond any duration. */
export interface DurationBounds {
  /** Rejects zero. */
  readonly positive?: boolean;
  /** The longest accepted, in ms. Default `MAX_TIMER_DELAY`, as the duration usually feeds a timer. */
  readonly max?: number;
}

/**
 * A duration option, as milliseconds or a string (`'30s'`, `'1h30m'`), returned in ms.
 *
 * @throws ConfigurationError `INVALID_DURATION` for a value that is not a duration, is zero when
 * `positive`, or is longer than `max`.
 */
export function optionalDuration(
  owner: string,
  field: string,
  value: unknown,
  { positive = false, max = MAX_TIMER_DELAY }: DurationBounds = {},
): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value as DurationInput, `${owner}: ${field}`);
  if (ms > max) {
    const limit =
      max === MAX_TIMER_DELAY
        ? `${MAX_TIMER_DELAY} ms (about 24.8 days, the longest timer Node keeps)`
        : `${max} ms`;
    throw new ConfigurationError(
      'INVALID_DURATION',
      `${owner}: ${field} should be at most ${limit}, got ${describeValue(value)}`,
    );
  }
  if (positive && ms === 0) {
    throw new ConfigurationError(
      'INVALID_DURATION',
      `${owner}: ${field} should be longer than zero, such as 500 or '2s', got ${describeValue(value)}`,
    );
  }
  return ms;
}
