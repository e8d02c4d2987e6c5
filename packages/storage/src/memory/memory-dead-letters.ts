import { randomUUID } from 'node:crypto';
import { checkDeadLetter, checkLimit, checkName } from '../adapter/check-arguments.js';
import { deadLetterSchema, decodeJson } from '../adapter/decode.js';
import type {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterPage,
  DeadLetterStore,
  NewDeadLetter,
} from '../dead-letter-store.js';
import { StoreError } from '../errors.js';

/** Where a letter sits in the order of `list`: by `failedAt`, then id. */
interface Slot {
  readonly failedAt: number;
  readonly id: string;
  readonly queue: string;
  /** The letter as JSON text, decoded on every read. */
  text: string;
}

/**
 * `DeadLetterStore` in memory: letters as JSON text in a map, plus an array sorted by
 * `(failedAt, id)` for `list`, `purge` and the cap. Past `maxDeadLetters`, the oldest go.
 */
export class MemoryDeadLetters implements DeadLetterStore {
  readonly #byId = new Map<string, Slot>();
  /** Sorted by `(failedAt, id)`. */
  readonly #ordered: Slot[] = [];
  readonly #clock: { now(): number };
  readonly #max: number;
  readonly #assertOpen: () => void;
  #dropped = 0;

  constructor(clock: { now(): number }, maxDeadLetters: number, assertOpen: () => void) {
    this.#clock = clock;
    this.#max = maxDeadLetters;
    this.#assertOpen = assertOpen;
  }

  async add(letter: NewDeadLetter): Promise<DeadLetter> {
    this.#assertOpen();
    checkDeadLetter(letter);
    const stored: DeadLetter = {
      ...letter,
      id: letter.id ?? randomUUID(),
      failedAt: letter.failedAt ?? this.#clock.now(),
    };
    const text = JSON.stringify(stored);
    const previous = this.#byId.get(stored.id);
    if (previous !== undefined) this.#unlink(previous);
    const slot: Slot = { failedAt: stored.failedAt, id: stored.id, queue: stored.queue, text };
    this.#byId.set(slot.id, slot);
    this.#ordered.splice(this.#position(slot.failedAt, slot.id), 0, slot);
    while (this.#ordered.length > this.#max) {
      this.#unlink(this.#ordered[0] as Slot);
      this.#dropped++;
    }
    return decode(slot);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    this.#assertOpen();
    const slot = this.#byId.get(checkName('id', id));
    return slot === undefined ? undefined : decode(slot);
  }

  async list(
    filter: DeadLetterFilter & { readonly limit?: number; readonly cursor?: string } = {},
  ): Promise<DeadLetterPage> {
    this.#assertOpen();
    const limit = checkLimit(filter.limit);
    let start = this.#position(filter.from ?? Number.NEGATIVE_INFINITY, '');
    if (filter.cursor !== undefined) {
      const [failedAt, id] = parseCursor(filter.cursor);
      start = Math.max(start, this.#position(failedAt, id, true));
    }
    const letters: DeadLetter[] = [];
    for (let i = start; i < this.#ordered.length; i++) {
      const slot = this.#ordered[i] as Slot;
      if (filter.to !== undefined && slot.failedAt >= filter.to) break;
      if (filter.queue !== undefined && slot.queue !== filter.queue) continue;
      if (letters.length === limit) {
        const last = letters.at(-1) as DeadLetter;
        return { letters, cursor: makeCursor(last.failedAt, last.id) };
      }
      letters.push(decode(slot));
    }
    return { letters };
  }

  async remove(id: string): Promise<boolean> {
    this.#assertOpen();
    const slot = this.#byId.get(checkName('id', id));
    if (slot === undefined) return false;
    this.#unlink(slot);
    return true;
  }

  async count(filter: DeadLetterFilter = {}): Promise<number> {
    this.#assertOpen();
    let count = 0;
    for (
      let i = this.#position(filter.from ?? Number.NEGATIVE_INFINITY, '');
      i < this.#ordered.length;
      i++
    ) {
      const slot = this.#ordered[i] as Slot;
      if (filter.to !== undefined && slot.failedAt >= filter.to) break;
      if (filter.queue === undefined || slot.queue === filter.queue) count++;
    }
    return count;
  }

  async purge(before: number): Promise<number> {
    this.#assertOpen();
    if (typeof before !== 'number' || Number.isNaN(before)) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `purge() takes ms since the epoch, got ${String(before)}`,
      );
    }
    const end = this.#position(before, '');
    for (const slot of this.#ordered.splice(0, end)) this.#byId.delete(slot.id);
    return end;
  }

  dropped(): number {
    return this.#dropped;
  }

  /** Letters held. */
  get size(): number {
    return this.#ordered.length;
  }

  /** Test hook: replaces the stored text of a letter. */
  overwrite(id: string, text: string): void {
    const slot = this.#byId.get(id);
    if (slot === undefined) throw new Error(`no dead letter '${id}' to corrupt`);
    slot.text = text;
  }

  /** First index whose `(failedAt, id)` is `>=` (or `>` with `after`) the given one. */
  #position(failedAt: number, id: string, after = false): number {
    let low = 0;
    let high = this.#ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const slot = this.#ordered[middle] as Slot;
      const order = slot.failedAt - failedAt || (slot.id < id ? -1 : slot.id > id ? 1 : 0);
      if (order < 0 || (after && order === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #unlink(slot: Slot): void {
    this.#byId.delete(slot.id);
    this.#ordered.splice(this.#position(slot.failedAt, slot.id), 1);
  }
}

function decode(slot: Slot): DeadLetter {
  return decodeJson(`dead letter '${slot.id}'`, slot.text, deadLetterSchema);
}

function makeCursor(failedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([failedAt, id])).toString('base64url');
}

function parseCursor(cursor: string): [number, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'number' &&
      typeof parsed[1] === 'string'
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // reported below
  }
  throw new StoreError(
    'STORE_INVALID_ARGUMENT',
    `cursor ${JSON.stringify(cursor)} was not returned by list(); pass the cursor of the previous page`,
  );
}
