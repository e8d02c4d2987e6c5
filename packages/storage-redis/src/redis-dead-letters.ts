import { randomUUID } from 'node:crypto';
import type {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterPage,
  DeadLetterStore,
  NewDeadLetter,
} from '@vigil/storage';
import { StoreError } from '@vigil/storage';
import {
  checkDeadLetter,
  checkLimit,
  checkName,
  corrupt,
  deadLetterSchema,
  decodeJson,
} from '@vigil/storage/adapter';
import type { RedisContext } from './redis-context.js';
import { runScript } from './redis-scripts.js';
import { sortableHex } from './sortable-hex.js';
import { toStoreError } from './to-store-error.js';

const PURGE_BATCH = 1000;
const MEMBER = /^[0-9a-f]{16}./s;

/**
 * `DeadLetterStore` on Redis: a hash per letter and two sorted-set indexes (all letters, and one
 * per queue) whose members are `sortableHex(failedAt) + id` with every score 0, so that
 * `ZRANGEBYLEX` walks them oldest first (by `failedAt`, then id) and pages from an exclusive
 * cursor. The cap is applied inside the `add` script: it drops the oldest and says how many.
 */
export class RedisDeadLetters implements DeadLetterStore {
  readonly #context: RedisContext;
  readonly #maxLetters: number;
  #dropped = 0;

  constructor(context: RedisContext, maxLetters: number) {
    this.#context = context;
    this.#maxLetters = maxLetters;
  }

  async add(letter: NewDeadLetter): Promise<DeadLetter> {
    checkDeadLetter(letter);
    const { connection, keys, clock } = this.#context;
    const stored: DeadLetter = {
      ...letter,
      id: letter.id ?? randomUUID(),
      failedAt: letter.failedAt ?? clock.now(),
    };
    const text = JSON.stringify(stored);
    const decoded = decodeJson(`dead letter '${stored.id}'`, text, deadLetterSchema);
    const dropped = await connection.run(`deadLetters.add('${stored.id}')`, (client) =>
      runScript(
        client,
        'vigilDeadLetterAdd',
        [keys.deadLetter(stored.id), keys.deadLetterAll(), keys.deadLetterQueue(stored.queue)],
        [
          keys.prefix,
          sortableHex(stored.failedAt) + stored.id,
          stored.queue,
          text,
          this.#maxLetters,
        ],
      ),
    );
    this.#dropped += Number(dropped);
    return decoded;
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    checkName('id', id);
    const { connection, keys } = this.#context;
    const text = await connection.run(`deadLetters.get('${id}')`, (client) =>
      client.hget(keys.deadLetter(id), 'letter'),
    );
    return text === null ? undefined : decodeLetter(id, text);
  }

  async list(
    filter: DeadLetterFilter & { readonly limit?: number; readonly cursor?: string } = {},
  ): Promise<DeadLetterPage> {
    const limit = checkLimit(filter.limit);
    const [index, from, to] = this.#range(filter);
    let min = from;
    if (filter.cursor !== undefined) {
      const after = parseCursor(filter.cursor);
      if (after >= from.slice(1)) min = `(${after}`;
    }
    const { connection, keys } = this.#context;
    const page = await connection.run('deadLetters.list()', async (client) => {
      const members = await client.zrangebylex(index, min, to, 'LIMIT', 0, limit + 1);
      const shown = members.slice(0, limit);
      const pipeline = client.pipeline();
      for (const member of shown) pipeline.hget(keys.deadLetter(member.slice(16)), 'letter');
      const texts = shown.length === 0 ? [] : ((await pipeline.exec()) ?? []);
      return { members, shown, texts };
    });
    const letters: DeadLetter[] = [];
    page.shown.forEach((member, i) => {
      const [error, text] = page.texts[i] ?? [null, null];
      if (error) throw toStoreError(`dead letter '${member.slice(16)}'`, error);
      if (typeof text === 'string') letters.push(decodeLetter(member.slice(16), text));
    });
    if (page.members.length <= limit) return { letters };
    const last = page.shown.at(-1) as string;
    return { letters, cursor: Buffer.from(last).toString('base64url') };
  }

  async remove(id: string): Promise<boolean> {
    checkName('id', id);
    const { connection, keys } = this.#context;
    const removed = await connection.run(`deadLetters.remove('${id}')`, (client) =>
      runScript(
        client,
        'vigilDeadLetterRemove',
        [keys.deadLetter(id), keys.deadLetterAll()],
        [keys.prefix],
      ),
    );
    return removed === 1;
  }

  async count(filter: DeadLetterFilter = {}): Promise<number> {
    const [index, from, to] = this.#range(filter);
    return this.#context.connection.run('deadLetters.count()', (client) =>
      from === '-' && to === '+' ? client.zcard(index) : client.zlexcount(index, from, to),
    );
  }

  async purge(before: number): Promise<number> {
    checkBound('before', before);
    const { connection, keys } = this.#context;
    const bound = `(${sortableHex(before)}`;
    let removed = 0;
    for (;;) {
      const batch = Number(
        await connection.run('deadLetters.purge()', (client) =>
          runScript(
            client,
            'vigilDeadLetterPurge',
            [keys.deadLetterAll()],
            [keys.prefix, bound, PURGE_BATCH],
          ),
        ),
      );
      removed += batch;
      if (batch < PURGE_BATCH) return removed;
    }
  }

  dropped(): number {
    return this.#dropped;
  }

  /** The index to read and its lex bounds: `[from` (inclusive) and `(to` (exclusive). */
  #range(filter: DeadLetterFilter): [string, string, string] {
    const { keys } = this.#context;
    if (filter.queue !== undefined) checkName('filter.queue', filter.queue);
    if (filter.from !== undefined) checkBound('filter.from', filter.from);
    if (filter.to !== undefined) checkBound('filter.to', filter.to);
    return [
      filter.queue === undefined ? keys.deadLetterAll() : keys.deadLetterQueue(filter.queue),
      filter.from === undefined ? '-' : `[${sortableHex(filter.from)}`,
      filter.to === undefined ? '+' : `(${sortableHex(filter.to)}`,
    ];
  }
}

function decodeLetter(id: string, text: string): DeadLetter {
  const letter = decodeJson(`dead letter '${id}'`, text, deadLetterSchema);
  if (letter.id !== id) throw corrupt(`dead letter '${id}'`, `it holds letter '${letter.id}'`);
  return letter;
}

function checkBound(what: string, value: unknown): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new StoreError(
      'STORE_INVALID_ARGUMENT',
      `${what} should be ms since the epoch, got ${String(value)}`,
    );
  }
}

function parseCursor(cursor: unknown): string {
  const member = typeof cursor === 'string' ? Buffer.from(cursor, 'base64url').toString() : '';
  if (!MEMBER.test(member)) {
    throw new StoreError(
      'STORE_INVALID_ARGUMENT',
      `cursor ${JSON.stringify(cursor)} was not returned by list(); pass the cursor of the previous page`,
    );
  }
  return member;
}
