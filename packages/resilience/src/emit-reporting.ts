import type { BackgroundErrorReporter } from '@vigil/core';

/** What `emitReporting` needs of an emitter: eventemitter3's `emit` (typed by each policy). */
interface Emitter {
  // biome-ignore lint/suspicious/noExplicitAny: each policy's emit takes its own event tuples.
  emit(event: string, ...args: any[]): boolean;
}

/**
 * Emits `event` on `emitter`; a listener that throws goes to `report` as `'<event>' listener`,
 * never into the call that emitted, so it cannot replace a call's result or error, escape from a
 * timer callback, or keep the call from being recorded.
 */
export function emitReporting(
  emitter: Emitter,
  report: BackgroundErrorReporter,
  event: string,
  ...args: unknown[]
): void {
  try {
    emitter.emit(event, ...args);
  } catch (error) {
    report(error, `'${event}' listener`);
  }
}
