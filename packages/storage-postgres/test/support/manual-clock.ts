/** A clock for the store's `clock` option that moves only when the test moves it. */
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** Starts at 2026-01-01T00:00:00Z, as the contract kit's clock does. */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    set: (ms) => {
      time = ms;
    },
  };
}
