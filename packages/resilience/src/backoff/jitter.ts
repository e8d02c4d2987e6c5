import { exponentialDelay } from './exponential.js';

/** How retry delays are randomised. */
export type Jitter = 'full' | 'decorrelated' | 'none';

/** What one backoff step needs. */
export interface BackoffSettings {
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly factor: number;
  readonly jitter: Jitter;
  /** A number in [0, 1), as `Math.random`. */
  readonly random: () => number;
}

/**
 * The delay before retry number `retry` (1 for the first retry). `previous` is the delay before
 * the previous retry (0 for the first), which decorrelated jitter grows from.
 *
 * - `none`: the exponential delay, capped at `maxDelay`.
 * - `full` (AWS "full jitter"): uniform in [0, exponential delay].
 * - `decorrelated` (AWS "decorrelated jitter"): uniform in [initialDelay, 3 × previous], capped
 *   at `maxDelay`, where `previous` is at least `initialDelay` (AWS starts from the base delay),
 *   so the first retry is already spread over [initialDelay, 3 × initialDelay]; it spreads
 *   retries of many clients apart while still growing.
 */
export function backoffDelay(settings: BackoffSettings, retry: number, previous: number): number {
  const { initialDelay, maxDelay } = settings;
  switch (settings.jitter) {
    case 'none':
      return exponentialDelay(retry, initialDelay, settings.factor, maxDelay);
    case 'full':
      return (
        unit(settings.random) * exponentialDelay(retry, initialDelay, settings.factor, maxDelay)
      );
    case 'decorrelated': {
      const low = Math.min(initialDelay, maxDelay);
      const high = Math.max(low, previous) * 3;
      return Math.min(maxDelay, low + unit(settings.random) * (high - low));
    }
  }
}

/** A random number clamped to [0, 1], so that a bad injected `random` cannot break the bounds. */
function unit(random: () => number): number {
  const value = random();
  // NaN fails `> 0` and lands on 0, where Math.max would pass it through.
  if (!(value > 0)) return 0;
  return Math.min(value, 1);
}
