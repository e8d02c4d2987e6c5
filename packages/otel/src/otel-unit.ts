/**
 * Vigil units (the Prometheus name suffixes) as the UCUM units OpenTelemetry uses, so that a
 * collector's Prometheus exporter adds back the same suffix. Other units are passed as they are.
 */
const UCUM: Readonly<Record<string, string>> = Object.freeze({
  seconds: 's',
  milliseconds: 'ms',
  microseconds: 'us',
  nanoseconds: 'ns',
  bytes: 'By',
  kilobytes: 'kBy',
  megabytes: 'MBy',
  ratio: '1',
  percent: '%',
  celsius: 'Cel',
});

/** The OpenTelemetry unit of a Vigil unit; `''` for none. */
export function otelUnit(unit: string | undefined): string {
  if (unit === undefined) return '';
  return UCUM[unit] ?? unit;
}
