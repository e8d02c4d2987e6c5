import { MANUAL_CLOCK_EPOCH } from '@vigil/core/testing';

/** 2026-01-01T00:00:00Z, where the contract kit's clock starts: core's `MANUAL_CLOCK_EPOCH`. */
export const CONTRACT_EPOCH = MANUAL_CLOCK_EPOCH;

export { type ManualClock, manualClock } from '@vigil/core/testing';
