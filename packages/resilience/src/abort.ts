import type { TimerHandle, Timers } from '@vigil/core';
import { AbortedError } from './errors.js';

/**
 * @internal The signal passed to tasks when the caller gave none: it never aborts, so no
 * `AbortController` is made per call.
 */
export const NEVER_ABORTED: AbortSignal = neverAborted();

/**
 * One signal shared by every call made without a signal, for the life of the process. An
 * 'abort' listener on it could never run, so it is not kept: a task that adds one per call and
 * never removes it (`signal.addEventListener('abort', …)` is the usual pattern) would otherwise
 * pile them all up here, with a MaxListenersExceededWarning past 10.
 */
function neverAborted(): AbortSignal {
  const signal = new AbortController().signal;
  const add = signal.addEventListener as (this: AbortSignal, ...args: unknown[]) => void;
  Object.defineProperty(signal, 'addEventListener', {
    value(this: AbortSignal, type: unknown, ...rest: unknown[]): void {
      if (type !== 'abort') add.call(this, type, ...rest);
    },
  });
  return signal;
}

/** @internal The error a policy rejects with when the caller's signal has aborted. */
export function abortedError(signal: AbortSignal): AbortedError {
  return new AbortedError(signal.reason);
}

/** @internal Two signals joined: aborts when either does; `dispose` detaches the listeners. */
export interface JoinedSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** @internal Joins `a` and `b` (AbortSignal.any needs Node 20.3, and keeps no dispose). */
export function joinSignals(a: AbortSignal, b: AbortSignal): JoinedSignal {
  const controller = new AbortController();
  if (a.aborted || b.aborted) {
    controller.abort(a.aborted ? a.reason : b.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const onA = () => controller.abort(a.reason);
  const onB = () => controller.abort(b.reason);
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      a.removeEventListener('abort', onA);
      b.removeEventListener('abort', onB);
    },
  };
}

/**
 * @internal Waits `ms` on `timers`, or, without them, on the global `setTimeout` looked up at
 * call time (so fake timers work); rejects with `AbortedError` as soon as `signal` aborts. The
 * default timer is not unref'd, unlike core's `systemTimers`: a caller awaits it, and a script
 * whose only pending work is a retry must not exit in the middle of the backoff.
 */
export function sleep(ms: number, signal: AbortSignal, timers: Timers | undefined): Promise<void> {
  if (signal.aborted) return Promise.reject(abortedError(signal));
  const set = timers === undefined ? globalSet : timers.setTimeout;
  const clear = timers === undefined ? globalClear : timers.clearTimeout;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clear.call(timers, timer);
      reject(abortedError(signal));
    };
    const timer = set.call(
      timers,
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
    );
    if (signal !== NEVER_ABORTED) signal.addEventListener('abort', onAbort, { once: true });
  });
}

function globalSet(callback: () => void, ms: number): TimerHandle {
  return globalThis.setTimeout(callback, ms);
}

function globalClear(handle: TimerHandle): void {
  globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
}
