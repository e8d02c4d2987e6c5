/**
 * Starts a monotonic stopwatch; the returned function gives the seconds elapsed. `performance`
 * is looked up at call time, so fake timers installed after import still drive it.
 */
export function stopwatch(): () => number {
  const start = performance.now();
  return () => (performance.now() - start) / 1000;
}
