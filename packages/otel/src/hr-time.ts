import type { HrTime } from '@opentelemetry/api';

/** Milliseconds since the epoch (fractions allowed) as OpenTelemetry's `[seconds, nanoseconds]`. */
export function hrTimeOf(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.min(Math.round((ms - seconds * 1000) * 1e6), 999_999_999);
  return [seconds, nanos];
}

/** OpenTelemetry's `[seconds, nanoseconds]` as milliseconds since the epoch (with fractions). */
export function msOf(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}
