/** What a bound child needs from its metric to find its series again after a `remove`/`reset`. */
export interface SeriesOwner {
  /** @internal Re-creates the series for `values` and tracks `child` on it; returns its id. */
  reattach(values: readonly string[], child: BoundSeries): number;
}

/**
 * The base of every bound child (`metric.labels({...})`). The label set was validated when the
 * child was bound, so recording through it is a field update on `id`. When its series is removed
 * the child is detached (`id` -1) and re-creates the series on its next write.
 */
export abstract class BoundSeries {
  protected id = -1;
  readonly #owner: SeriesOwner;
  readonly #values: readonly string[] | undefined;

  /** `values` is undefined for the child returned for an invalid label set: it records nothing. */
  constructor(owner: SeriesOwner, values: readonly string[] | undefined) {
    this.#owner = owner;
    this.#values = values;
  }

  /** @internal */
  attach(id: number): void {
    this.id = id;
  }

  /** @internal */
  detach(): void {
    this.id = -1;
  }

  /** The series id after a detach; -1 for a child of an invalid label set. */
  protected reattach(): number {
    if (this.#values === undefined) return -1;
    this.id = this.#owner.reattach(this.#values, this);
    return this.id;
  }
}
