import type { TimingEntry } from './timing-scope.js';
import { currentTimings } from './timing-scope.js';

// RFC 9110 token characters; anything else in a name becomes '_'.
const NOT_TOKEN = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g;

/**
 * Renders timing entries as a `Server-Timing` header value: one metric per name, durations
 * summed, in first-seen order, in milliseconds with at most two decimals
 * (`db;dur=12.3, api;dur=40.1`). Names are sanitised to HTTP tokens. Details (SQL fingerprints)
 * are never rendered: the header is visible to clients. Returns `''` when there is nothing to
 * report. Defaults to the active scope's entries.
 */
export function serverTiming(entries: readonly TimingEntry[] = currentTimings()): string {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    if (!Number.isFinite(entry.durationMs)) continue;
    const name = tokenOf(entry.name);
    totals.set(name, (totals.get(name) ?? 0) + entry.durationMs);
  }
  let header = '';
  for (const [name, ms] of totals) {
    if (header !== '') header += ', ';
    header += `${name};dur=${Math.round(ms * 100) / 100}`;
  }
  return header;
}

function tokenOf(name: string): string {
  const token = String(name).replace(NOT_TOKEN, '_');
  return token === '' ? 'timer' : token;
}
