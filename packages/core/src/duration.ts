import { ConfigurationError } from './errors.js';
import { describeValue } from './options/describe-value.js';

/** A duration: milliseconds as a number, or a string such as `'90s'`, `'5m'`, `'1h30m'`, `'250ms'`. */
export type DurationInput = number | string;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// Units must appear largest first, each at most once, as Prometheus writes durations.
const ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];
const PART = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/y;

/**
 * Parses a duration into milliseconds. Numbers are taken as milliseconds and must be finite and
 * non-negative; strings are one or more `<number><unit>` parts with units `w d h m s ms`,
 * largest first (`'1h30m'`, `'2.5s'`).
 *
 * @throws ConfigurationError `INVALID_DURATION` for anything else.
 */
export function parseDuration(input: DurationInput, field = 'duration'): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw invalid(field, input);
  }
  if (typeof input !== 'string' || input.length === 0) throw invalid(field, input);
  let total = 0;
  let position = 0;
  let lastUnit = -1;
  PART.lastIndex = 0;
  while (position < input.length) {
    PART.lastIndex = position;
    const match = PART.exec(input);
    if (match === null) throw invalid(field, input);
    const unit = match[2] as string;
    const rank = ORDER.indexOf(unit);
    if (rank <= lastUnit) throw invalid(field, input);
    lastUnit = rank;
    total += Number(match[1]) * (UNIT_MS[unit] as number);
    position = PART.lastIndex;
  }
  return total;
}

function invalid(field: string, input: unknown): ConfigurationError {
  return new ConfigurationError(
    'INVALID_DURATION',
    `${field} should be a non-negative number of milliseconds or a string such as '250ms', '90s', '5m', '1h30m' or '7d' (units w, d, h, m, s, ms, largest first), got ${describeValue(input)}`,
  );
}
