/**
 * A clock for `clock` options (`new Registry({ clock })`, `new PerformanceTracker({ clock })`,
 * policies, health checks) that moves only when the test moves it.
 */
export interface ManualClock {
  now(): number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Sets the clock to `ms` since the epoch. */
  set(ms: number): void;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
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
