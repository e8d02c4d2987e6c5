/**
 * Runs `sweep` every `intervalMs` on an unref()ed timer. A failing sweep is passed to `onError`
 * and retried at the next tick; it never throws into the host. Returns the stop function, which
 * waits for a sweep in flight.
 */
export function startSweeper(
  intervalMs: number,
  sweep: () => Promise<unknown>,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = sweep()
      .then(
        () => undefined,
        (error: unknown) => report(onError, error),
      )
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

function report(onError: (error: unknown) => void, error: unknown): void {
  try {
    onError(error);
  } catch {
    // A failing error handler must not take the host down either.
  }
}
