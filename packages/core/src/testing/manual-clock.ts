import type { Clock } from '../clock.js';
import type { TimerHandle, Timers } from '../timer-provider.js';

/** 2026-01-01T00:00:00Z, where a `manualClock()` starts unless told otherwise. */
export const MANUAL_CLOCK_EPOCH = Date.UTC(2026, 0, 1);

/**
 * A clock and a timer provider that move only when a test moves them. Pass it as both `clock`
 * and `timers` (`new HealthMonitor({ clock, timers: clock })`): `advance(ms)` runs every timer
 * that falls due on the way, in order, each with the clock set to its due time.
 */
export interface ManualClock extends Clock, Timers {
  /** Moves the clock forward by `ms` (≥ 0), running the timers that fall due. */
  advance(ms: number): void;
  /** Sets the clock to `ms` since the epoch (backwards too); runs the timers due by then. */
  set(ms: number): void;
  /** How many timers are scheduled and not yet run or cleared. */
  pendingTimers(): number;
}

interface ManualTimer {
  readonly due: number;
  readonly order: number;
  readonly callback: () => void;
}

/** A `ManualClock` starting at `start` ms since the epoch (default `MANUAL_CLOCK_EPOCH`). */
export function manualClock(start: number = MANUAL_CLOCK_EPOCH): ManualClock {
  let now = start;
  let scheduled = 0;
  const timers = new Set<ManualTimer>();

  const runDue = (target: number): void => {
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of timers) {
        if (timer.due > target) continue;
        if (
          next === undefined ||
          timer.due < next.due ||
          (timer.due === next.due && timer.order < next.order)
        ) {
          next = timer;
        }
      }
      if (next === undefined) break;
      timers.delete(next);
      now = Math.max(now, next.due);
      next.callback();
    }
    now = target;
  };

  return {
    now: () => now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`advance() takes a non-negative number of ms, got ${ms}`);
      }
      runDue(now + ms);
    },
    set(ms) {
      if (!Number.isFinite(ms))
        throw new RangeError(`set() takes a finite number of ms, got ${ms}`);
      if (ms < now) now = ms;
      runDue(ms);
    },
    pendingTimers: () => timers.size,
    setTimeout(callback, ms): TimerHandle {
      const timer: ManualTimer = { due: now + Math.max(0, ms), order: scheduled++, callback };
      timers.add(timer);
      return timer;
    },
    clearTimeout(handle) {
      timers.delete(handle as ManualTimer);
    },
  };
}
