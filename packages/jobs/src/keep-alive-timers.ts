import type { Timers } from '@vigil/core';

/**
 * @internal The runner's default `Timers` for queue work (delays, backoffs, timeouts, rate-limit
 * waits): the global `setTimeout`, looked up at each call so that fake timers installed after
 * import apply, and not `unref()`ed: a script that awaits a job in backoff must not exit in the
 * middle of it. The runner clears them all at `close()`.
 */
export const keepAliveTimers: Timers = {
  setTimeout(callback, ms) {
    return globalThis.setTimeout(callback, ms);
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]);
  },
};
