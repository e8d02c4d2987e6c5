import { randomUUID } from 'node:crypto';
import {
  type DeadLetter,
  type DeadLetterFilter,
  type DeadLetterPage,
  type DeadLetterStore,
  type NewDeadLetter,
  StoreError,
} from '@vigil/storage';
import {
  checkDeadLetter,
  checkLimit,
  checkName,
  checkShape,
  corrupt,
  deadLetterSchema,
  encodeJson,
} from '@vigil/storage/adapter';
import { jsonColumn } from './decode-column.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import type { SqliteConnection } from './sqlite-connection.js';

const ADD = `INSERT INTO vigil_dead_letters (id, queue, failed_at, letter) VALUES (?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    queue = excluded.queue, failed_at = excluded.failed_at, letter = excluded.letter`;
// Past the cap, the oldest (by failedAt, then id: list order) go, in the add's transaction.
const DROP_OLDEST = `DELETE FROM vigil_dead_letters WHERE rowid IN (
  SELECT rowid FROM vigil_dead_letters ORDER BY failed_at, id LIMIT ?)`;

type Filter = DeadLetterFilter & { readonly limit?: number; readonly cursor?: string };

/**
 * Dead letters in one table: the whole letter as JSON beside the columns that filter and order it
 * (`id`, `queue`, `failed_at`). Every read checks the letter and that it agrees with its columns:
 * a row edited behind the store's back so that they differ is `STORE_CORRUPT` (a list stops at it;
 * `remove(id)` repairs). Cursors are keyed on the columns, the order the list is read in, so that
 * paging always moves forward.
 */
export class SqliteDeadLetterStore implements DeadLetterStore {
  readonly #connection: SqliteConnection;
  readonly #clock: { now(): number };
  readonly #max: number;
  #dropped = 0;

  constructor(connection: SqliteConnection, clock: { now(): number }, maxLetters: number) {
    this.#connection = connection;
    this.#clock = clock;
    this.#max = maxLetters;
  }

  async add(input: NewDeadLetter): Promise<DeadLetter> {
    checkDeadLetter(input);
    const letter: DeadLetter = {
      id: input.id ?? randomUUID(),
      queue: input.queue,
      payload: input.payload,
      error: input.error,
      attempts: input.attempts,
      failedAt: input.failedAt ?? this.#clock.now(),
      ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
    };
    const text = encodeJson('letter', letter);
    const dropped = this.#connection.write(() => {
      this.#connection.statement(ADD).run(letter.id, letter.queue, letter.failedAt, text);
      const count = this.#connection
        .statement('SELECT count(*) FROM vigil_dead_letters')
        .pluck()
        .get() as number;
      if (count <= this.#max) return 0;
      return this.#connection.statement(DROP_OLDEST).run(count - this.#max).changes;
    });
    this.#dropped += dropped;
    return decodeLetter([letter.id, letter.queue, letter.failedAt, text]);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    checkName('id', id);
    const row = this.#connection.read(() =>
      this.#connection
        .statement(`SELECT ${COLUMNS} FROM vigil_dead_letters WHERE id = ?`)
        .raw()
        .get(id),
    ) as Row | undefined;
    return row === undefined ? undefined : decodeLetter(row);
  }

  async list(filter: Filter = {}): Promise<DeadLetterPage> {
    const limit = checkLimit(filter.limit);
    const where = conditions(filter);
    if (filter.cursor !== undefined) {
      const [failedAt, id] = decodeCursor(
        filter.cursor,
        (p): p is [number, string] => typeof p[0] === 'number' && typeof p[1] === 'string',
      );
      where.sql.push('(failed_at, id) > (@afterTime, @afterId)');
      where.params.afterTime = failedAt;
      where.params.afterId = id;
    }
    const rows = this.#connection.read(() =>
      this.#connection
        .statement(
          `SELECT ${COLUMNS} FROM vigil_dead_letters ${whereSql(where.sql)}
           ORDER BY failed_at, id LIMIT @limit`,
        )
        .raw()
        .all({ ...where.params, limit: limit + 1 }),
    ) as Row[];
    const letters = rows.slice(0, limit).map(decodeLetter);
    const last = letters.at(-1);
    // The letter agrees with its columns (checked), so its failedAt and id are the row's.
    return rows.length > limit && last !== undefined
      ? { letters, cursor: encodeCursor([last.failedAt, last.id]) }
      : { letters };
  }

  async remove(id: string): Promise<boolean> {
    checkName('id', id);
    return (
      this.#connection.write(() =>
        this.#connection.statement('DELETE FROM vigil_dead_letters WHERE id = ?').run(id),
      ).changes > 0
    );
  }

  async count(filter: DeadLetterFilter = {}): Promise<number> {
    const where = conditions(filter);
    return this.#connection.read(() =>
      this.#connection
        .statement(`SELECT count(*) FROM vigil_dead_letters ${whereSql(where.sql)}`)
        .pluck()
        .get(where.params),
    ) as number;
  }

  async purge(before: number): Promise<number> {
    if (typeof before !== 'number' || !Number.isFinite(before)) {
      throw invalid(`purge() takes ms since the epoch, got ${String(before)}`);
    }
    return this.#connection.write(
      () =>
        this.#connection.statement('DELETE FROM vigil_dead_letters WHERE failed_at < ?').run(before)
          .changes,
    );
  }

  dropped(): number {
    return this.#dropped;
  }
}

function conditions(filter: DeadLetterFilter): {
  sql: string[];
  params: Record<string, string | number>;
} {
  const sql: string[] = [];
  const params: Record<string, string | number> = {};
  if (typeof filter !== 'object' || filter === null) {
    throw invalid(`the filter should be an object, got ${String(filter)}`);
  }
  if (filter.queue !== undefined) {
    if (typeof filter.queue !== 'string') throw invalid('filter.queue should be a string');
    sql.push('queue = @queue');
    params.queue = filter.queue;
  }
  for (const [name, op] of [
    ['from', '>='],
    ['to', '<'],
  ] as const) {
    const value = filter[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalid(`filter.${name} should be ms since the epoch, got ${String(value)}`);
    }
    sql.push(`failed_at ${op} @${name}`);
    params[name] = value;
  }
  return { sql, params };
}

function whereSql(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

const COLUMNS = 'id, queue, failed_at, letter';
type Row = readonly [id: unknown, queue: unknown, failedAt: unknown, letter: unknown];

/**
 * The letter of a row, checked, and checked against the row's columns: the list filters and
 * orders by the columns, so a letter that disagrees with them would be listed under the wrong
 * queue or time, or send a cursor backwards (paging forever) or past letters (skipping them).
 */
function decodeLetter(row: Row): DeadLetter {
  const [id, queue, failedAt, text] = row;
  const what = `dead letter '${String(id)}'`;
  const letter = checkShape(what, jsonColumn(what, text), deadLetterSchema);
  if (letter.id !== id || letter.queue !== queue || letter.failedAt !== failedAt) {
    throw corrupt(
      what,
      `its row says id ${JSON.stringify(id)}, queue ${JSON.stringify(queue)}, failedAt ${String(failedAt)}; its letter says id ${JSON.stringify(letter.id)}, queue ${JSON.stringify(letter.queue)}, failedAt ${letter.failedAt}`,
    );
  }
  return letter;
}

function invalid(message: string): StoreError {
  return new StoreError('STORE_INVALID_ARGUMENT', message);
}
