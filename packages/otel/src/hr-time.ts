import type { HrTime } from '@opentelemetry/api';

/** Milliseconds since the epoch (fractions allowed) as OpenTelemetry's `[seconds, nanoseconds]`. */
export function hrTimeOf(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.min(Math.round((ms - seconds * 1000) * 1e6), 999_999_999);
  return [seconds, nanos];
}
