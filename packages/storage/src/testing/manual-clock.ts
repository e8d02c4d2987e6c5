import type { ManualClock } from './contract-subject.js';

/** 2026-01-01T00:00:00Z, where the contract kit's clock starts. */
export const CONTRACT_EPOCH = Date.UTC(2026, 0, 1);

/** A clock that moves only when told to; pass it as an adapter's `clock` option. */
export function manualClock(start: number = CONTRACT_EPOCH): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`advance() takes a non-negative number of ms, got ${ms}`);
      }
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}
