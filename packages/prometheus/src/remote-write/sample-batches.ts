/** @internal `series` cut into runs of at most `max`, in order (one request each). */
export function splitIntoBatches<T>(series: readonly T[], max: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < series.length; start += max) {
    batches.push(series.slice(start, start + max));
  }
  return batches;
}
