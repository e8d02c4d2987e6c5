import { checkOptionsObject, invalidOption } from '@vigil/core/options';

/**
 * One of Alertmanager's `time_intervals` entries (in camelCase): it holds when every field given
 * holds. Ranges are inclusive (`'monday:friday'`, `'1:5'`, negative days count from the month's
 * end); `times` are `HH:MM`, the end excluded; `location` an IANA time zone (default UTC).
 */
export interface TimeIntervalConfig {
  times?: readonly { readonly startTime: string; readonly endTime: string }[] | undefined;
  weekdays?: readonly string[] | undefined;
  daysOfMonth?: readonly string[] | undefined;
  months?: readonly string[] | undefined;
  years?: readonly string[] | undefined;
  location?: string | undefined;
}

/** Whether an instant (ms since the epoch) is inside a named set of intervals. */
export type TimeInterval = (time: number) => boolean;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const KEYS = ['times', 'weekdays', 'daysOfMonth', 'months', 'years', 'location'] as const;
const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

type Range = readonly [number, number];

function ranges(
  owner: string,
  field: string,
  value: unknown,
  read: (text: string) => number | undefined,
): Range[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidOption(owner, `${field} should be a list of ranges`);
  return value.map((item: unknown) => {
    const text = String(item).toLowerCase();
    const [from, to = from] = text.split(':');
    const start = read(from as string);
    const end = read(to as string);
    if (start === undefined || end === undefined) {
      throw invalidOption(
        owner,
        `${field}: ${JSON.stringify(item)} is not a range such as ${field === 'weekdays' ? "'monday:friday'" : "'1:5'"}`,
      );
    }
    return [start, end] as const;
  });
}

function minutes(owner: string, text: unknown): number {
  const parts = CLOCK.exec(String(text));
  const value = parts === null ? Number.NaN : Number(parts[1]) * 60 + Number(parts[2]);
  if (!(value <= 1440)) throw invalidOption(owner, `times: ${JSON.stringify(text)} is not HH:MM`);
  return value;
}

function number(text: string): number | undefined {
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * Compiles named time intervals (each a list of entries; it holds when one entry holds).
 *
 * @throws ConfigurationError naming the interval for a bad field or time zone.
 */
export function compileTimeIntervals(
  intervals: Readonly<Record<string, readonly TimeIntervalConfig[]>> | undefined,
): Map<string, TimeInterval> {
  const out = new Map<string, TimeInterval>();
  for (const [name, entries] of Object.entries(intervals ?? {})) {
    const owner = `time interval ${name}`;
    if (!Array.isArray(entries))
      throw invalidOption(owner, 'should be a list of { times, weekdays, … }');
    const tests = entries.map((entry) => compileEntry(owner, entry));
    out.set(name, (time) => tests.some((test) => test(time)));
  }
  return out;
}

function compileEntry(owner: string, entry: TimeIntervalConfig): TimeInterval {
  const given = checkOptionsObject(owner, entry, KEYS, { required: true });
  const location = (given['location'] as string | undefined) ?? 'UTC';
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: location,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'long',
      hour: 'numeric',
      minute: 'numeric',
    });
  } catch {
    throw invalidOption(
      owner,
      `location ${JSON.stringify(location)} is not a time zone such as Europe/Berlin`,
    );
  }
  const times = given['times'] as TimeIntervalConfig['times'];
  if (times !== undefined && !Array.isArray(times))
    throw invalidOption(owner, 'times should be a list of { startTime, endTime }');
  const spans = times?.map((span) => {
    const start = minutes(owner, span?.startTime);
    const end = minutes(owner, span?.endTime);
    if (end <= start)
      throw invalidOption(owner, `times: ${span.startTime} is not before ${span.endTime}`);
    return [start, end] as const;
  });
  const weekdays = ranges(owner, 'weekdays', given['weekdays'], (t) => {
    const i = WEEKDAYS.indexOf(t);
    return i === -1 ? undefined : i;
  });
  const days = ranges(owner, 'daysOfMonth', given['daysOfMonth'], number);
  const months = ranges(owner, 'months', given['months'], (t) => {
    const i = MONTHS.indexOf(t);
    return i === -1 ? number(t) : i + 1;
  });
  const years = ranges(owner, 'years', given['years'], number);
  const inside = (list: Range[] | undefined, value: number, size?: number): boolean =>
    list === undefined ||
    list.some(([from, to]) => {
      // Negative days of the month count from its end: -1 is the last day.
      const start = from < 0 && size !== undefined ? size + from + 1 : from;
      const end = to < 0 && size !== undefined ? size + to + 1 : to;
      return value >= start && value <= end;
    });
  return (time) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(time)) parts[part.type] = part.value;
    const year = Number(parts['year']);
    const month = Number(parts['month']);
    const day = Number(parts['day']);
    const minute = Number(parts['hour']) * 60 + Number(parts['minute']);
    const weekday = WEEKDAYS.indexOf((parts['weekday'] ?? '').toLowerCase());
    const monthLength = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return (
      (spans === undefined || spans.some(([from, to]) => minute >= from && minute < to)) &&
      inside(weekdays, weekday) &&
      inside(days, day, monthLength) &&
      inside(months, month) &&
      inside(years, year)
    );
  };
}
