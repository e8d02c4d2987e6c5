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
  deadLetterSchema,
  encodeJson,
} from '@vigil/storage/adapter';
import { ceilMs } from './ceil-ms.js';
import type { Database } from './database.js';
import { integerColumn, jsonColumn } from './decode-column.js';

interface LetterRow {
  id: string;
  queue: string;
  payload: string;
  error: unknown;
  attempts: number;
  failed_at: string;
  metadata: unknown;
}

type ListOptions = DeadLetterFilter & { readonly limit?: number; readonly cursor?: string };

/**
 * `DeadLetterStore` on the `dead_letters` table, indexed on (queue, failed_at, id) and
 * (failed_at, id) for oldest-first keyset pages. `add` inserts (or replaces) and enforces the cap
 * in the same transaction, under an advisory lock so that two clients adding at once never
 * overshoot: past the cap, the oldest other letters are deleted and counted in `dropped()`.
 */
export class PostgresDeadLetterStore implements DeadLetterStore {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #cap: number;
  readonly #lockKey: string;
  readonly #sql: ReturnType<typeof statements>;
  #dropped = 0;

  constructor(db: Database, now: () => number, cap: number) {
    this.#db = db;
    this.#now = now;
    this.#cap = cap;
    this.#lockKey = `vigil:dead-letters:${db.schema}`;
    this.#sql = statements(db.schema);
  }

  async add(letter: NewDeadLetter): Promise<DeadLetter> {
    checkDeadLetter(letter);
    if (letter.failedAt !== undefined && !Number.isSafeInteger(letter.failedAt)) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `letter.failedAt should be a whole number of ms since the epoch, got ${letter.failedAt}`,
      );
    }
    const id = letter.id ?? randomUUID();
    const failedAt = letter.failedAt ?? this.#now();
    const payload = encodeJson('letter.payload', letter.payload);
    const error = encodeJson('letter.error', letter.error);
    const metadata =
      letter.metadata === undefined ? null : encodeJson('letter.metadata', letter.metadata);
    const values = [id, letter.queue, payload, error, letter.attempts, failedAt, metadata];
    const dropped = await this.#db.transaction(async (run) => {
      await run('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.#lockKey]);
      await run(this.#sql.upsert, values);
      const result = await run(this.#sql.cap, [this.#cap, id]);
      return result.rowCount ?? 0;
    });
    this.#dropped += dropped;
    // What `add` returns is what `get` reads back: the letter after its JSON round trip.
    return decode({
      id,
      queue: letter.queue,
      payload,
      error: JSON.parse(error),
      attempts: letter.attempts,
      failed_at: String(failedAt),
      metadata: metadata === null ? null : JSON.parse(metadata),
    });
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    checkName('id', id);
    const result = await this.#db.query<LetterRow>(this.#sql.get, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : decode(row);
  }

  async list(options: ListOptions = {}): Promise<DeadLetterPage> {
    const limit = checkLimit(options.limit);
    const after = options.cursor === undefined ? undefined : parseCursor(options.cursor);
    const result = await this.#db.query<LetterRow>(this.#sql.list, [
      ...filterValues(options),
      after?.failedAt ?? null,
      after?.id ?? null,
      limit + 1,
    ]);
    const rows = result.rows.slice(0, limit);
    const letters = rows.map(decode);
    const last = letters.at(-1);
    return result.rows.length > limit && last !== undefined
      ? { letters, cursor: `${last.failedAt}:${last.id}` }
      : { letters };
  }

  async remove(id: string): Promise<boolean> {
    checkName('id', id);
    const result = await this.#db.query(this.#sql.remove, [id]);
    return result.rowCount === 1;
  }

  async count(filter: DeadLetterFilter = {}): Promise<number> {
    const result = await this.#db.query<{ count: string }>(this.#sql.count, filterValues(filter));
    return Number(result.rows[0]?.count ?? 0);
  }

  async purge(before: number): Promise<number> {
    if (!Number.isFinite(before)) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `purge() takes ms since the epoch, got ${String(before)}`,
      );
    }
    const result = await this.#db.query(this.#sql.purge, [ceilMs(before)]);
    return result.rowCount ?? 0;
  }

  dropped(): number {
    return this.#dropped;
  }
}

function filterValues(filter: DeadLetterFilter): unknown[] {
  if (filter.queue !== undefined) checkName('queue', filter.queue);
  for (const bound of ['from', 'to'] as const) {
    const value = filter[bound];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `filter.${bound} should be ms since the epoch, got ${String(value)}`,
      );
    }
  }
  return [
    filter.queue ?? null,
    filter.from === undefined ? null : ceilMs(filter.from),
    filter.to === undefined ? null : ceilMs(filter.to),
  ];
}

function parseCursor(cursor: string): { failedAt: number; id: string } {
  const match = typeof cursor === 'string' ? /^(-?\d{1,16}):(.+)$/s.exec(cursor) : null;
  if (match === null) {
    throw new StoreError(
      'STORE_INVALID_ARGUMENT',
      `cursor should be one that list() returned, got ${JSON.stringify(cursor)}`,
    );
  }
  return { failedAt: Number(match[1]), id: match[2] as string };
}

function decode(row: LetterRow): DeadLetter {
  const what = `dead letter '${row.id}'`;
  return checkShape(what, toLetter(row), deadLetterSchema);
}

function toLetter(row: LetterRow): Record<string, unknown> {
  const what = `dead letter '${row.id}'`;
  const letter: Record<string, unknown> = {
    id: row.id,
    queue: row.queue,
    payload: jsonColumn(`${what}: payload`, row.payload),
    error: row.error,
    attempts: row.attempts,
    failedAt: integerColumn(`${what}: failed_at`, row.failed_at),
  };
  if (row.metadata !== null) letter['metadata'] = row.metadata;
  return letter;
}

function statements(s: string) {
  const columns = 'id, queue, payload, error, attempts, failed_at, metadata';
  const filter = `($1::text IS NULL OR queue = $1) AND ($2::bigint IS NULL OR failed_at >= $2)
    AND ($3::bigint IS NULL OR failed_at < $3)`;
  return {
    upsert: `INSERT INTO ${s}.dead_letters (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (id) DO UPDATE SET queue = excluded.queue, payload = excluded.payload,
        error = excluded.error, attempts = excluded.attempts, failed_at = excluded.failed_at,
        metadata = excluded.metadata`,
    // Past the cap, the oldest letters other than the one just added go.
    cap: `DELETE FROM ${s}.dead_letters WHERE id IN (
      SELECT id FROM ${s}.dead_letters WHERE id <> $2 ORDER BY failed_at, id
      LIMIT greatest((SELECT count(*) FROM ${s}.dead_letters) - $1, 0))`,
    get: `SELECT ${columns} FROM ${s}.dead_letters WHERE id = $1`,
    list: `SELECT ${columns} FROM ${s}.dead_letters WHERE ${filter}
      AND ($4::bigint IS NULL OR (failed_at, id) > ($4, $5::text))
      ORDER BY failed_at, id LIMIT $6`,
    remove: `DELETE FROM ${s}.dead_letters WHERE id = $1`,
    count: `SELECT count(*) AS count FROM ${s}.dead_letters WHERE ${filter}`,
    purge: `DELETE FROM ${s}.dead_letters WHERE failed_at < $1`,
  };
}
