import {
  type RecordPage,
  type RecordStore,
  type RecordWriteOptions,
  type StoredRecord,
  StoreError,
} from '@vigil/storage';
import {
  checkLimit,
  checkName,
  checkRecordKey,
  checkRecordWrite,
  corrupt,
  storedRecord,
} from '@vigil/storage/adapter';
import { ceilMs } from './ceil-ms.js';
import type { Database } from './database.js';
import { integerColumn, jsonColumn } from './decode-column.js';

interface RecordRow {
  key: string;
  value: string;
  version: string;
  expires_at: string | null;
}

/**
 * `RecordStore` on the `records` table (primary key namespace + key, `COLLATE "C"` so that key
 * order is code-point order and a prefix is an index range). Every write is one statement, so
 * compare-and-set is atomic across clients; an expired row counts as absent everywhere.
 */
export class PostgresRecordStore implements RecordStore {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Database, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#sql = statements(db.schema);
  }

  async get<T = unknown>(namespace: string, key: string): Promise<StoredRecord<T> | undefined> {
    checkRecordKey(namespace, key);
    const result = await this.#db.query<RecordRow>(this.#sql.get, [namespace, key, this.#now()]);
    const row = result.rows[0];
    return row === undefined ? undefined : decode<T>(namespace, row);
  }

  async set<T>(
    namespace: string,
    key: string,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T>> {
    const write = this.#write(namespace, key, value, options);
    const result = await this.#db.query<RecordRow>(this.#sql.set, write);
    return decode<T>(namespace, result.rows[0] as RecordRow);
  }

  async compareAndSet<T>(
    namespace: string,
    key: string,
    expectedVersion: number,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T> | undefined> {
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `expectedVersion should be a non-negative integer (0: must not exist), got ${String(expectedVersion)}`,
      );
    }
    const write = this.#write(namespace, key, value, options);
    const result =
      expectedVersion === 0
        ? await this.#db.query<RecordRow>(this.#sql.create, write)
        : await this.#db.query<RecordRow>(this.#sql.replace, [...write, expectedVersion]);
    const row = result.rows[0];
    return row === undefined ? undefined : decode<T>(namespace, row);
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    checkRecordKey(namespace, key);
    const result = await this.#db.query<{ live: boolean }>(this.#sql.delete, [
      namespace,
      key,
      this.#now(),
    ]);
    return result.rows[0]?.live === true;
  }

  async list<T = unknown>(
    namespace: string,
    prefix: string,
    options?: { readonly limit?: number; readonly cursor?: string },
  ): Promise<RecordPage<T>> {
    checkName('namespace', namespace);
    if (typeof prefix !== 'string') checkName('prefix', prefix);
    const limit = checkLimit(options?.limit);
    const cursor = options?.cursor;
    if (cursor !== undefined) checkName('cursor', cursor);
    const pattern = `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
    const result = await this.#db.query<RecordRow>(this.#sql.list, [
      namespace,
      pattern,
      cursor ?? '',
      this.#now(),
      limit + 1,
    ]);
    const rows = result.rows.slice(0, limit);
    const records = rows.map((row) => decode<T>(namespace, row));
    const last = rows.at(-1);
    return result.rows.length > limit && last !== undefined
      ? { records, cursor: last.key }
      : { records };
  }

  // [namespace, key, value text, expires_at, now]: the parameters every write starts with.
  #write(
    namespace: string,
    key: string,
    value: unknown,
    options: RecordWriteOptions | undefined,
  ): unknown[] {
    const { json, ttl } = checkRecordWrite(namespace, key, value, options);
    const now = this.#now();
    return [namespace, key, json, ttl === undefined ? null : ceilMs(now + ttl), now];
  }
}

function decode<T>(namespace: string, row: RecordRow): StoredRecord<T> {
  const what = `record '${row.key}' of namespace '${namespace}'`;
  const value = jsonColumn(what, row.value) as T;
  const version = integerColumn(`${what}: version`, row.version);
  if (version < 1) throw corrupt(what, `version should be positive, got ${version}`);
  const expiresAt =
    row.expires_at === null ? null : integerColumn(`${what}: expires_at`, row.expires_at);
  return storedRecord(row.key, { value, version, expiresAt });
}

function statements(s: string) {
  const live = '(expires_at IS NULL OR expires_at > $3)';
  const columns = 'key, value, version, expires_at';
  return {
    get: `SELECT ${columns} FROM ${s}.records WHERE namespace = $1 AND key = $2 AND ${live}`,
    // An expired row is as if deleted: writing it again starts over at version 1.
    set: `INSERT INTO ${s}.records AS r (namespace, key, value, version, expires_at)
      VALUES ($1, $2, $3, 1, $4)
      ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,
        expires_at = excluded.expires_at,
        version = CASE WHEN r.expires_at IS NOT NULL AND r.expires_at <= $5 THEN 1
          ELSE r.version + 1 END
      RETURNING ${columns}`,
    create: `INSERT INTO ${s}.records AS r (namespace, key, value, version, expires_at)
      VALUES ($1, $2, $3, 1, $4)
      ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,
        expires_at = excluded.expires_at, version = 1
      WHERE r.expires_at IS NOT NULL AND r.expires_at <= $5
      RETURNING ${columns}`,
    replace: `UPDATE ${s}.records SET value = $3, expires_at = $4, version = version + 1
      WHERE namespace = $1 AND key = $2 AND version = $6
        AND (expires_at IS NULL OR expires_at > $5)
      RETURNING ${columns}`,
    delete: `DELETE FROM ${s}.records WHERE namespace = $1 AND key = $2
      RETURNING ${live} AS live`,
    list: `SELECT ${columns} FROM ${s}.records
      WHERE namespace = $1 AND key LIKE $2 AND key > $3 AND (expires_at IS NULL OR expires_at > $4)
      ORDER BY key LIMIT $5`,
  };
}
