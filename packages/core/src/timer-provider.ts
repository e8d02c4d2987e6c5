/** What `Timers.setTimeout` returns: opaque to Vigil, handed back to `clearTimeout`. */
export type TimerHandle = unknown;

/**
 * Where Vigil schedules its own work (sweeps, evaluation loops, pushes, TTL expiry): a seam for
 * tests and hosts. Every timer Vigil starts is cleared by the `close()` of whatever started it.
 */
export interface Timers {
  /**
   * Calls `callback` once after `ms` milliseconds. The timer must not keep the process alive:
   * the system provider `unref()`s it.
   */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The default `Timers`: Node's `setTimeout`, `unref()`ed so that background work never keeps a
 * process alive. It looks `setTimeout` up on `globalThis` at each call, not at import, so fake
 * timers installed after Vigil was imported (`vi.useFakeTimers()`) still apply.
 */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = globalThis.setTimeout(callback, ms);
    // Fake-timer libraries may return a number or an object without `unref`.
    (handle as { unref?: () => unknown }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
