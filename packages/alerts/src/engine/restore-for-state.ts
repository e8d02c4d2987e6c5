import type { AlertRecord } from '../rules/alerting-rule.js';

/** How long an outage may last, and how long a restored pending alert waits at least (ms). */
export interface RestorePolicy {
  /** Prometheus's `rules.alert.for-outage-tolerance` (default 1 h). */
  readonly outageTolerance: number;
  /** Prometheus's `rules.alert.for-grace-period` (default 10 min). */
  readonly forGracePeriod: number;
}

/**
 * A rule's alerts as persisted at `evaluatedAt` (its last evaluation before the outage), restored
 * at `now` the way Prometheus restores `for` after a restart:
 *
 * - nothing comes back after an outage longer than `outageTolerance`;
 * - a firing (or recently resolved) alert comes back as it was: still firing, no new transition;
 * - a pending alert of a rule whose `for` is shorter than the grace period waits its whole `for`
 *   again; otherwise its `activeAt` moves by the outage, so that the time pending counts only
 *   evaluated time, and it waits at least the grace period before it fires.
 */
export function restoreForState(
  records: readonly AlertRecord[],
  evaluatedAt: number,
  now: number,
  holdDuration: number,
  policy: RestorePolicy,
): AlertRecord[] {
  const down = now - evaluatedAt;
  if (down > policy.outageTolerance) return [];
  return records.map((record) => {
    if (record.state !== 'pending') return { ...record };
    if (holdDuration < policy.forGracePeriod) return { ...record, activeAt: now };
    const remaining = holdDuration - (evaluatedAt - record.activeAt);
    if (remaining <= 0) return { ...record };
    if (remaining < policy.forGracePeriod) {
      return { ...record, activeAt: now + policy.forGracePeriod - holdDuration };
    }
    return { ...record, activeAt: record.activeAt + down };
  });
}
