/**
 * Wall-clock time in milliseconds since the epoch. Everything in Vigil that reads the time takes
 * a `clock` option of this shape, so tests can move time by hand (`@vigil/test-support`'s
 * `manualClock`) and hosts can supply their own.
 */
export interface Clock {
  now(): number;
}

/** The clock every `clock` option defaults to: `Date.now()`, looked up at call time. */
export const systemClock: Clock = {
  now: () => Date.now(),
};
