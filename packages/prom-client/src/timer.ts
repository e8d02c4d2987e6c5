/** Seconds since `start`, a `process.hrtime()` reading (as prom-client measures timers). */
export function secondsSince(start: [number, number]): number {
  const delta = process.hrtime(start);
  return delta[0] + delta[1] / 1e9;
}
