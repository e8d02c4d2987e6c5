import { checkOptionsObject, optionalInteger, optionalString } from '@vigil/core/options';
import type { DeadLetter, DeadLetterPage, DeadLetterStore } from '@vigil/storage';
import { DeadLetterNotFoundError } from './errors.js';

/** Which letters `list`, `count`, `replayAll` and `purge` take. */
export interface DeadLetterFilter {
  /** Letters of this job type only. */
  type?: string | undefined;
  /** Failed at or after this time, ms since the epoch. */
  from?: number | undefined;
  /** Failed before this time, ms since the epoch. */
  to?: number | undefined;
}

/** A page request of `list`. */
export interface DeadLetterPageRequest {
  /** 1 to 10,000; default 100. */
  limit?: number | undefined;
  /** The `cursor` of the previous page. */
  cursor?: string | undefined;
}

/**
 * @internal Replays one letter into the runner: stores the job (durably), calls `remove`, then
 * queues it, so that the job cannot fail again and be dead-lettered before the old letter is
 * gone. Answers the job id.
 */
export type ReplayLetter = (letter: DeadLetter, remove: () => Promise<boolean>) => Promise<string>;

const OWNER = 'deadLetters';
const PAGE = 500;

/**
 * A runner's dead-letter queue: jobs whose last attempt failed, with their payload and every
 * attempt's error and timing, kept in the store's `DeadLetterStore` (capped: the oldest are
 * dropped and counted; purged after the runner's retention). A letter's id is its job's id.
 */
export class DeadLetterQueue {
  readonly #store: DeadLetterStore;
  readonly #replay: ReplayLetter;
  readonly #changed: (type: string) => void;
  readonly #knows: (type: string) => boolean;

  /** @internal */
  constructor(
    store: DeadLetterStore,
    replay: ReplayLetter,
    changed: (type: string) => void,
    knows: (type: string) => boolean,
  ) {
    this.#store = store;
    this.#replay = replay;
    this.#changed = changed;
    this.#knows = knows;
  }

  /** Letters oldest first, a page at a time: pass the answer's `cursor` for the next. */
  list(filter?: DeadLetterFilter, page?: DeadLetterPageRequest): Promise<DeadLetterPage> {
    const checked = checkFilter(filter);
    const request = checkOptionsObject(`${OWNER}.list`, page, ['limit', 'cursor']);
    const limit = optionalInteger(`${OWNER}.list`, 'limit', request.limit, { min: 1, max: 10_000 });
    const cursor = optionalString(`${OWNER}.list`, 'cursor', request.cursor);
    return this.#store.list({
      ...checked,
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === undefined ? {} : { cursor }),
    });
  }

  get(id: string): Promise<DeadLetter | undefined> {
    return this.#store.get(id);
  }

  count(filter?: DeadLetterFilter): Promise<number> {
    return this.#store.count(checkFilter(filter));
  }

  /**
   * Queues the letter's job again (same id, same payload, attempts from 1) and removes the
   * letter once the job is accepted. Answers the job id.
   *
   * @throws DeadLetterNotFoundError for an unknown id; UnknownJobTypeError when this runner has
   *   no such type.
   */
  async replay(id: string): Promise<string> {
    const letter = await this.#store.get(id);
    if (letter === undefined) throw new DeadLetterNotFoundError(id);
    return this.replayLetter(letter);
  }

  /**
   * Replays every letter the filter takes; answers how many. Letters of types this runner does
   * not know stay where they are (another runner may replay them).
   */
  async replayAll(filter?: DeadLetterFilter): Promise<number> {
    let replayed = 0;
    for await (const letter of this.#each(filter)) {
      if (!this.#knows(letter.queue)) continue;
      await this.replayLetter(letter);
      replayed++;
    }
    return replayed;
  }

  /** Removes every letter the filter takes (without a filter: all); answers how many. */
  async purge(filter?: DeadLetterFilter): Promise<number> {
    const checked = checkFilter(filter);
    if (checked.queue === undefined && checked.from === undefined && checked.to !== undefined) {
      const purged = await this.#store.purge(checked.to);
      this.#changed('');
      return purged;
    }
    let removed = 0;
    for await (const letter of this.#each(filter)) {
      if (await this.#store.remove(letter.id)) removed++;
      this.#changed(letter.queue);
    }
    return removed;
  }

  /** Removes one letter without replaying it; false when there was none. */
  async remove(id: string): Promise<boolean> {
    const letter = await this.#store.get(id);
    if (letter === undefined) return false;
    const removed = await this.#store.remove(id);
    this.#changed(letter.queue);
    return removed;
  }

  /** Letters the store dropped to stay within its cap, since it was created. */
  dropped(): number {
    return this.#store.dropped();
  }

  /** @internal */
  async replayLetter(letter: DeadLetter): Promise<string> {
    const jobId = await this.#replay(letter, () => this.#store.remove(letter.id));
    this.#changed(letter.queue);
    return jobId;
  }

  /** Every letter the filter takes, all read before the first is yielded: removing or replaying them while paging would move the cursor under us. Bounded by the store's cap. */
  async *#each(filter: DeadLetterFilter | undefined): AsyncGenerator<DeadLetter> {
    const checked = checkFilter(filter);
    let cursor: string | undefined;
    const letters: DeadLetter[] = [];
    do {
      const page = await this.#store.list({
        ...checked,
        limit: PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      letters.push(...page.letters);
      cursor = page.cursor;
    } while (cursor !== undefined);
    yield* letters;
  }
}

function checkFilter(filter: DeadLetterFilter | undefined): {
  queue?: string;
  from?: number;
  to?: number;
} {
  const given = checkOptionsObject(OWNER, filter, ['type', 'from', 'to']);
  const checked: { queue?: string; from?: number; to?: number } = {};
  const type = optionalString(OWNER, 'type', given.type);
  if (type !== undefined) checked.queue = type;
  const from = optionalInteger(OWNER, 'from', given.from, { min: 0 });
  if (from !== undefined) checked.from = from;
  const to = optionalInteger(OWNER, 'to', given.to, { min: 0 });
  if (to !== undefined) checked.to = to;
  return checked;
}
