import type { RecordPage, RecordStore, RecordWriteOptions, StoredRecord } from '@vigil/storage';
import {
  checkListArguments,
  checkRecordKey,
  checkVersion,
  encodeJson,
  storedRecord,
  ttlMs,
} from '@vigil/storage/adapter';
import { integerColumn, jsonColumn, timeColumn } from './decode-column.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import type { SqliteConnection } from './sqlite-connection.js';

const LIVE = '(expires_at IS NULL OR expires_at > @now)';
const SELECT = `SELECT key, value, version, expires_at FROM vigil_records
  WHERE namespace = @namespace AND key = @key AND ${LIVE}`;
// Any row, live or expired: `set` reads the stored version and expiry to check them.
const CURRENT = `SELECT version, expires_at FROM vigil_records
  WHERE namespace = @namespace AND key = @key`;
const REPLACE = `INSERT OR REPLACE INTO vigil_records (namespace, key, value, version, expires_at)
  VALUES (?, ?, ?, ?, ?)`;
// `key >= @prefix` starts the scan where the prefix does and `key < @end` stops it where the
// prefix ends; `substr` keeps the answer exact whatever the bounds.
function listSql(bounded: boolean): string {
  return `SELECT key, value, version, expires_at FROM vigil_records
    WHERE namespace = @namespace AND key > @after AND key >= @prefix
      ${bounded ? 'AND key < @end' : ''}
      AND substr(key, 1, length(@prefix)) = @prefix AND ${LIVE}
    ORDER BY key LIMIT @limit`;
}

/** Records in one table keyed (namespace, key); TTLs compare against the store's clock. */
export class SqliteRecordStore implements RecordStore {
  readonly #connection: SqliteConnection;
  readonly #now: () => number;

  constructor(connection: SqliteConnection, clock: { now(): number }) {
    this.#connection = connection;
    this.#now = () => clock.now();
  }

  async get<T = unknown>(namespace: string, key: string): Promise<StoredRecord<T> | undefined> {
    checkRecordKey(namespace, key);
    const now = this.#now();
    const row = this.#connection.read(() =>
      this.#connection.statement(SELECT).raw().get({ namespace, key, now }),
    );
    return row === undefined ? undefined : decodeRecord<T>(namespace, row);
  }

  async set<T>(
    namespace: string,
    key: string,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T>> {
    checkRecordKey(namespace, key);
    const text = encodeJson('value', value);
    const now = this.#now();
    const expiresAt = expiryOf(options, now);
    const version = this.#connection.write(() => {
      const current = this.#connection.statement(CURRENT).raw().get({ namespace, key }) as
        | unknown[]
        | undefined;
      const version = current === undefined ? 1 : nextVersion(namespace, key, current, now);
      this.#connection.statement(REPLACE).run(namespace, key, text, version, expiresAt);
      return version;
    });
    return storedRecord(key, { value: JSON.parse(text), version, expiresAt });
  }

  async compareAndSet<T>(
    namespace: string,
    key: string,
    expectedVersion: number,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T> | undefined> {
    checkRecordKey(namespace, key);
    checkVersion(expectedVersion);
    const text = encodeJson('value', value);
    const now = this.#now();
    const expiresAt = expiryOf(options, now);
    const written = this.#connection.write(() => {
      const current = this.#connection.statement(SELECT).raw().get({ namespace, key, now }) as
        | unknown[]
        | undefined;
      const version = current === undefined ? 0 : decodeRecord(namespace, current).version;
      if (version !== expectedVersion) return false;
      this.#connection.statement(REPLACE).run(namespace, key, text, expectedVersion + 1, expiresAt);
      return true;
    });
    if (!written) return undefined;
    return storedRecord(key, { value: JSON.parse(text), version: expectedVersion + 1, expiresAt });
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    checkRecordKey(namespace, key);
    const now = this.#now();
    const live = this.#connection.write(() =>
      this.#connection
        .statement(
          `DELETE FROM vigil_records WHERE namespace = @namespace AND key = @key
           RETURNING ${LIVE}`,
        )
        .pluck()
        .get({ namespace, key, now }),
    );
    return live === 1;
  }

  async list<T = unknown>(
    namespace: string,
    prefix: string,
    options?: { readonly limit?: number; readonly cursor?: string },
  ): Promise<RecordPage<T>> {
    const limit = checkListArguments(namespace, prefix, options?.limit);
    const after =
      options?.cursor === undefined
        ? ''
        : decodeCursor(options.cursor, (p): p is [string] => typeof p[0] === 'string')[0];
    const now = this.#now();
    const end = prefixEnd(prefix);
    const params = { namespace, after, prefix, now, limit: limit + 1 };
    const rows = this.#connection.read(() =>
      this.#connection
        .statement(listSql(end !== undefined))
        .raw()
        .all(end === undefined ? params : { ...params, end }),
    ) as unknown[][];
    const records = rows.slice(0, limit).map((row) => decodeRecord<T>(namespace, row));
    const last = records.at(-1);
    return rows.length > limit && last !== undefined
      ? { records, cursor: encodeCursor([last.key]) }
      : { records };
  }
}

/**
 * The least string above every string starting with `prefix`, in SQLite's order (code points):
 * the prefix with its last character incremented. Undefined where that is not simple (empty
 * prefix, a surrogate at the end); the scan is then bounded by the prefix filter alone.
 */
function prefixEnd(prefix: string): string | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix.length === 0 || last >= 0xd7ff) return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

function decodeRecord<T>(namespace: string, row: unknown): StoredRecord<T> {
  const [key, text, version, expiresAt] = row as unknown[];
  const what = `record '${String(key)}' of namespace '${namespace}'`;
  return storedRecord(String(key), {
    value: jsonColumn(what, text),
    version: integerColumn(`version of ${what}`, version, 1),
    expiresAt: expiresAt === null ? null : timeColumn(`expiry of ${what}`, expiresAt),
  });
}

/**
 * The version `set` writes over a stored row: one more than the stored one while the record is
 * live, 1 once it expired (an expired record counts as absent, whatever its version was). A
 * version or expiry that is not what the store writes is `STORE_CORRUPT`: adding 1 to it (SQLite
 * turns 'two' + 1 into 1) would answer a plausible but wrong version.
 */
function nextVersion(namespace: string, key: string, row: unknown[], now: number): number {
  const [version, expiresAt] = row;
  const what = `record '${key}' of namespace '${namespace}'`;
  if (expiresAt !== null && timeColumn(`expiry of ${what}`, expiresAt) <= now) return 1;
  return integerColumn(`version of ${what}`, version, 1) + 1;
}

function expiryOf(options: RecordWriteOptions | undefined, now: number): number | null {
  return options?.ttl === undefined ? null : now + ttlMs('options.ttl', options.ttl);
}
