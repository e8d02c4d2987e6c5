const MAX_OFFSET = 0xffff_ffff;

/**
 * The creation time of each series (ms since the epoch), for the OpenMetrics `_created` samples.
 * Kept as whole-ms offsets from the first time in a `Uint32Array`, 4 bytes a series instead of 8.
 * A time that does not fit (earlier than the first, 49.7 days after it, or with a fraction of a
 * ms, as a custom clock may give) moves every series to a `Float64Array` of the times themselves,
 * so every time reads back exactly as the clock gave it.
 */
export class CreatedTimes {
  #base = Number.NaN;
  #offsets: Uint32Array | undefined = new Uint32Array(0);
  #times = new Float64Array(0);

  /** Makes room for `capacity` series, keeping the times stored. */
  grow(capacity: number): void {
    if (this.#offsets === undefined) {
      const times = new Float64Array(capacity);
      times.set(this.#times);
      this.#times = times;
    } else {
      const offsets = new Uint32Array(capacity);
      offsets.set(this.#offsets);
      this.#offsets = offsets;
    }
  }

  set(id: number, time: number): void {
    if (this.#offsets !== undefined) {
      if (Number.isNaN(this.#base)) this.#base = time;
      const offset = time - this.#base;
      if (Number.isInteger(offset) && offset >= 0 && offset <= MAX_OFFSET) {
        this.#offsets[id] = offset;
        return;
      }
      this.#widen(this.#offsets);
    }
    this.#times[id] = time;
  }

  get(id: number): number {
    const offsets = this.#offsets;
    return offsets === undefined
      ? (this.#times[id] as number)
      : this.#base + (offsets[id] as number);
  }

  #widen(offsets: Uint32Array): void {
    const times = new Float64Array(offsets.length);
    for (let id = 0; id < offsets.length; id++) times[id] = this.#base + (offsets[id] as number);
    this.#times = times;
    this.#offsets = undefined;
  }
}
