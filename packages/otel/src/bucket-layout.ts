/**
 * The buckets of an OpenTelemetry explicit-bucket histogram as a Vigil histogram snapshot has
 * them: finite, ascending bounds, and counts per bucket with the `+Inf` bucket last. Boundaries
 * the text format cannot write (`±Infinity`, `NaN`) are left out and their buckets folded into the
 * next bucket kept, so every cumulative `le` count stays exact.
 */
export class BucketLayout {
  /** The finite upper bounds, ascending. */
  readonly bounds: readonly number[];
  /** For each OpenTelemetry bucket, the index of its Vigil bucket; undefined when the same. */
  readonly #fold: readonly number[] | undefined;

  constructor(boundaries: readonly number[]) {
    const bounds = boundaries.filter(Number.isFinite);
    this.bounds = bounds;
    if (bounds.length === boundaries.length) return;
    // Bucket i holds (boundaries[i - 1], boundaries[i]]; the last one (boundaries[n - 1], +Inf).
    this.#fold = [...boundaries, Number.POSITIVE_INFINITY].map((upper) => {
      if (upper === Number.NEGATIVE_INFINITY) return 0;
      const index = bounds.indexOf(upper);
      return index === -1 ? bounds.length : index;
    });
  }

  /** Whether `other` has the same bounds, so that both histograms make one family. */
  equals(other: BucketLayout): boolean {
    const { bounds } = other;
    return (
      bounds.length === this.bounds.length && bounds.every((bound, i) => bound === this.bounds[i])
    );
  }

  /** The per-bucket counts of a data point, in this layout (a copy: the SDK owns its arrays). */
  countsOf(counts: readonly number[]): number[] {
    const fold = this.#fold;
    if (fold === undefined) return counts.slice();
    const folded = new Array<number>(this.bounds.length + 1).fill(0);
    counts.forEach((count, i) => {
      const into = fold[i] ?? this.bounds.length;
      folded[into] = (folded[into] as number) + count;
    });
    return folded;
  }
}
