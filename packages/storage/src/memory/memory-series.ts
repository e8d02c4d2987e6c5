import { bucketStart, cellOf, combineCells, type RollupCell } from '../adapter/rollup-cell.js';
import { ROLLUP_RESOLUTIONS } from '../time-series-store.js';
import { lowerBound, upperBound } from './binary-search.js';
import { RollupIndex } from './rollup-index.js';

/**
 * One series in memory: raw points sorted by time (ties in append order) in two parallel arrays,
 * and a rollup index per `ROLLUP_RESOLUTIONS` entry. Invariant: the rollups always aggregate
 * exactly the raw points present, so a query answers the same from either.
 */
export class MemorySeries {
  /** The labels as JSON text, decoded and checked on every read (a test hook may corrupt it). */
  labelsText: string;
  readonly #times: number[] = [];
  readonly #values: number[] = [];
  readonly #rollups = ROLLUP_RESOLUTIONS.map((resolution) => new RollupIndex(resolution));

  constructor(labelsText: string) {
    this.labelsText = labelsText;
  }

  get size(): number {
    return this.#times.length;
  }

  /** Timestamp of the oldest point (the series is never empty while stored). */
  get oldest(): number {
    return this.#times[0] as number;
  }

  /** Timestamp of the `index`-th oldest point. */
  timeAt(index: number): number | undefined {
    return this.#times[index];
  }

  append(timestamp: number, value: number): void {
    const last = this.#times.length - 1;
    if (last < 0 || (this.#times[last] as number) <= timestamp) {
      this.#times.push(timestamp);
      this.#values.push(value);
    } else {
      const index = upperBound(this.#times, timestamp);
      this.#times.splice(index, 0, timestamp);
      this.#values.splice(index, 0, value);
    }
    for (const rollup of this.#rollups) rollup.add(timestamp, value);
  }

  /** How many points are older than `timestamp`. */
  countBefore(timestamp: number): number {
    return lowerBound(this.#times, timestamp);
  }

  /** Removes the `count` oldest points and rebuilds the rollups to match what is left. */
  dropOldest(count: number): void {
    this.#times.splice(0, count);
    this.#values.splice(0, count);
    const head = this.#times[0];
    for (const rollup of this.#rollups) {
      if (head === undefined) {
        rollup.clear();
        continue;
      }
      // Cells entirely before the new head go; the head's own cell may have lost points.
      const start = bucketStart(head, rollup.resolution);
      rollup.dropBefore(start);
      rollup.replace(start, this.#cellOfRaw(start, start + rollup.resolution));
    }
  }

  /** Raw points in `[from, to)` as one-point cells. */
  *raw(from: number, to: number): Generator<readonly [number, RollupCell]> {
    for (let i = lowerBound(this.#times, from); i < this.#times.length; i++) {
      const time = this.#times[i] as number;
      if (time >= to) return;
      yield [time, cellOf(time, this.#values[i] as number)];
    }
  }

  /**
   * Cells covering `[from, to)` for a query whose step is a multiple of `resolution`: rollup cells
   * for the whole buckets inside the range, raw points for the ragged edges.
   */
  *cells(from: number, to: number, resolution: number | undefined) {
    const rollup = this.#rollups.find((index) => index.resolution === resolution);
    if (rollup === undefined) {
      yield* this.raw(from, to);
      return;
    }
    const first = bucketStart(from, rollup.resolution);
    const innerFrom = first === from ? from : first + rollup.resolution;
    const innerTo = bucketStart(to, rollup.resolution);
    if (innerFrom >= innerTo) {
      yield* this.raw(from, to);
      return;
    }
    yield* this.raw(from, innerFrom);
    yield* rollup.range(innerFrom, innerTo);
    yield* this.raw(innerTo, to);
  }

  #cellOfRaw(from: number, to: number): RollupCell | undefined {
    let cell: RollupCell | undefined;
    for (const [, next] of this.raw(from, to)) {
      cell = cell === undefined ? next : combineCells(cell, next);
    }
    return cell;
  }
}
