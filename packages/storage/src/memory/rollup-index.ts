import { bucketStart, cellOf, combineCells, type RollupCell } from '../adapter/rollup-cell.js';
import { lowerBound } from './binary-search.js';

/** The rollup cells of one series at one resolution, sorted by bucket start. */
export class RollupIndex {
  readonly resolution: number;
  readonly #starts: number[] = [];
  readonly #cells: RollupCell[] = [];

  constructor(resolution: number) {
    this.resolution = resolution;
  }

  get size(): number {
    return this.#starts.length;
  }

  /** Folds one raw point into the cell of its bucket. */
  add(timestamp: number, value: number): void {
    const start = bucketStart(timestamp, this.resolution);
    const index = lowerBound(this.#starts, start);
    if (this.#starts[index] === start)
      combineCells(this.#cells[index] as RollupCell, cellOf(timestamp, value));
    else {
      this.#starts.splice(index, 0, start);
      this.#cells.splice(index, 0, cellOf(timestamp, value));
    }
  }

  /** Drops every cell whose bucket starts before `start`. */
  dropBefore(start: number): void {
    const index = lowerBound(this.#starts, start);
    this.#starts.splice(0, index);
    this.#cells.splice(0, index);
  }

  /** Replaces (or removes, when `cell` is undefined) the cell of the bucket at `start`. */
  replace(start: number, cell: RollupCell | undefined): void {
    const index = lowerBound(this.#starts, start);
    const exists = this.#starts[index] === start;
    if (cell === undefined) {
      if (exists) {
        this.#starts.splice(index, 1);
        this.#cells.splice(index, 1);
      }
    } else if (exists) this.#cells[index] = cell;
    else {
      this.#starts.splice(index, 0, start);
      this.#cells.splice(index, 0, cell);
    }
  }

  clear(): void {
    this.#starts.length = 0;
    this.#cells.length = 0;
  }

  /** Cells whose bucket starts in `[from, to)`, as `[start, cell]`. */
  *range(from: number, to: number): Generator<readonly [number, RollupCell]> {
    for (let i = lowerBound(this.#starts, from); i < this.#starts.length; i++) {
      const start = this.#starts[i] as number;
      if (start >= to) return;
      yield [start, this.#cells[i] as RollupCell];
    }
  }
}
