import type { BoundSeries } from './bound-series.js';
import { CreatedTimes } from './created-times.js';

/** What a metric keeps per series, in arrays indexed by series id. */
export interface SeriesStorage {
  /** Grows the arrays to `capacity` series, keeping their content. */
  grow(capacity: number): void;
  /** Sets the data of series `id` to its empty state. */
  clear(id: number): void;
}

/**
 * The series ids of one metric: which are in use, which were freed for reuse, the overflow
 * series, the bound child tracking each id, and when each series was created. Ids stay small
 * and dense, so that a metric's data lives in typed arrays indexed by id.
 */
export class SeriesSlots {
  readonly #storage: SeriesStorage;
  readonly #now: () => number;
  readonly #free: number[] = [];
  readonly #children: Array<BoundSeries | undefined> = [];
  /** Per series: creation time, for OpenMetrics `_created` (undefined for a gauge: it has none). */
  readonly #created: CreatedTimes | undefined;
  #nextId = 0;
  #capacity = 0;
  #overflowId = -1;
  #soleLive = true;

  constructor(storage: SeriesStorage, now: () => number, keepsCreated: boolean) {
    this.#storage = storage;
    this.#now = now;
    this.#created = keepsCreated ? new CreatedTimes() : undefined;
  }

  /** Number of live series, the overflow series included. */
  get count(): number {
    return this.#nextId - this.#free.length;
  }

  /** The id of the overflow series, or -1 while there is none. */
  get overflowId(): number {
    return this.#overflowId;
  }

  /** A fresh series: its data cleared, its creation time now. */
  allocate(): number {
    const id = this.#free.pop() ?? this.#nextId++;
    if (id >= this.#capacity) {
      const capacity = grownCapacity(this.#capacity);
      this.#created?.grow(capacity);
      this.#storage.grow(capacity);
      this.#capacity = capacity;
    }
    this.reset(id);
    return id;
  }

  /** The overflow series, allocated on first use. */
  overflow(): number {
    if (this.#overflowId < 0) this.#overflowId = this.allocate();
    return this.#overflowId;
  }

  /** Clears series `id` and makes now its creation time. */
  reset(id: number): void {
    this.#storage.clear(id);
    this.#created?.set(id, this.#now());
  }

  /** Frees series `id` for reuse, detaching the child bound to it. */
  release(id: number): void {
    this.detach(id);
    this.#storage.clear(id);
    this.#free.push(id);
  }

  /** Whether an unlabelled metric has its series (id 0): false after `removeSole()`. */
  get soleLive(): boolean {
    return this.#soleLive;
  }

  /** The id of an unlabelled metric's series, 0, brought back (at zero, created now) if removed. */
  sole(): number {
    if (!this.#soleLive) {
      this.reset(0);
      this.#soleLive = true;
    }
    return 0;
  }

  /**
   * Removes an unlabelled metric's series until `sole()` is next called. Its child is detached:
   * a bound child writes through its id, and its next write must come back through `sole()`.
   */
  removeSole(): void {
    this.detach(0);
    this.#storage.clear(0);
    this.#soleLive = false;
  }

  /** Detaches the child bound to series `id`, if any, keeping the series. */
  detach(id: number): void {
    this.#children[id]?.detach();
    this.#children[id] = undefined;
  }

  /** The child bound to series `id`, if any. */
  child(id: number): BoundSeries | undefined {
    return this.#children[id];
  }

  /**
   * Tracks `child` as bound to series `id`, to detach it when the series goes. The overflow
   * series is shared by every label set past the limit, so it tracks no child. One child is
   * tracked per series: another one bound to it (a child detached by a `remove` that wrote again
   * while a newer child holds the series) is detached, so that it finds its series by its labels
   * on its next write rather than writing through an id that a later series may reuse.
   */
  track(id: number, child: BoundSeries): void {
    if (id === this.#overflowId) return;
    const previous = this.#children[id];
    if (previous !== undefined && previous !== child) previous.detach();
    this.#children[id] = child;
  }

  /** Creation time of series `id`, in ms since the epoch (NaN for a gauge). */
  createdAt(id: number): number {
    return this.#created?.get(id) ?? Number.NaN;
  }
}

/**
 * The next capacity of the per-series arrays: ×1.25 in steps of 8 series. Unused capacity costs
 * as much as used (×2 left up to half of a histogram's buckets empty); copying the arrays ~5 times
 * over is cheap next to creating the series.
 */
function grownCapacity(capacity: number): number {
  return Math.max(8, Math.ceil((capacity * 1.25) / 8) * 8);
}
