import { describe, expect, it } from 'vitest';
import { restoreForState } from '../src/engine/restore-for-state.js';
import type { AlertRecord } from '../src/index.js';

const MINUTE = 60_000;
const policy = { outageTolerance: 60 * MINUTE, forGracePeriod: 10 * MINUTE };

function alert(state: AlertRecord['state'], activeAt: number): AlertRecord {
  return {
    labels: { alertname: 'A' },
    annotations: {},
    state,
    value: 1,
    activeAt,
    firedAt: state === 'firing' ? activeAt + 30 * MINUTE : undefined,
    resolvedAt: undefined,
    keepFiringSince: undefined,
  };
}

// The cases of Prometheus's RestoreForState (rules/group.go), with its defaults:
// for_outage_tolerance 1h, for_grace_period 10m.
describe('restoreForState', () => {
  it('restores nothing after an outage longer than the tolerance', () => {
    expect(restoreForState([alert('firing', 0)], 0, 61 * MINUTE, 30 * MINUTE, policy)).toEqual([]);
  });

  it('keeps a firing alert firing, as it was', () => {
    const firing = alert('firing', 0);
    expect(restoreForState([firing], 40 * MINUTE, 45 * MINUTE, 30 * MINUTE, policy)).toEqual([
      firing,
    ]);
  });

  it('makes a pending alert of a rule whose for is under the grace period wait its whole for again', () => {
    const [restored] = restoreForState(
      [alert('pending', 0)],
      4 * MINUTE,
      6 * MINUTE,
      5 * MINUTE,
      policy,
    );
    expect(restored?.activeAt).toBe(6 * MINUTE);
  });

  it('keeps activeAt when the alert had already waited its for', () => {
    // Pending since 0 with for 30m, last evaluated at 31m (it would have fired next).
    const [restored] = restoreForState(
      [alert('pending', 0)],
      31 * MINUTE,
      40 * MINUTE,
      30 * MINUTE,
      policy,
    );
    expect(restored?.activeAt).toBe(0);
  });

  it('makes it wait the grace period when less than that was left', () => {
    // 25 of 30 minutes pending: 5 left, under the 10-minute grace period.
    const [restored] = restoreForState(
      [alert('pending', 0)],
      25 * MINUTE,
      35 * MINUTE,
      30 * MINUTE,
      policy,
    );
    expect((restored?.activeAt ?? 0) + 30 * MINUTE).toBe(35 * MINUTE + 10 * MINUTE);
  });

  it('otherwise moves activeAt by the outage: only evaluated time counts as pending', () => {
    // 10 of 60 minutes pending, then 20 minutes down: 50 left, so activeAt moves 20 minutes.
    const [restored] = restoreForState(
      [alert('pending', 0)],
      10 * MINUTE,
      30 * MINUTE,
      60 * MINUTE,
      policy,
    );
    expect(restored?.activeAt).toBe(20 * MINUTE);
  });
});
