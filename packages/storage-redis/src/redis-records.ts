import type { RecordPage, RecordStore, RecordWriteOptions, StoredRecord } from '@vigil/storage';
import { StoreError } from '@vigil/storage';
import {
  checkListArguments,
  checkRecordKey,
  checkRecordWrite,
  checkVersion,
  storedRecord,
} from '@vigil/storage/adapter';
import { decodeRecordFields, isLive } from './record-fields.js';
import { collectAfter, type RedisContext } from './redis-context.js';
import { runScript } from './redis-scripts.js';
import { toStoreError } from './to-store-error.js';

const FIELDS = ['value', 'version', 'expiresAt'] as const;
// Above every byte of a UTF-8 key: `(prefix` + 0xff bounds the keys that start with `prefix`.
const TOP = Buffer.from([0xff]);
const PRUNE_BATCH = 500;

/**
 * `RecordStore` on Redis: a hash per record (`value`, `version`, `expiresAt`) and a sorted set per
 * namespace whose members are the keys (all scores 0), walked with `ZRANGEBYLEX` for `list`.
 * Writes are Lua scripts that check the version and the expiry against the store's clock;
 * `PEXPIRE` only collects expired records later.
 */
export class RedisRecords implements RecordStore {
  readonly #context: RedisContext;

  constructor(context: RedisContext) {
    this.#context = context;
  }

  async get<T = unknown>(namespace: string, key: string): Promise<StoredRecord<T> | undefined> {
    checkRecordKey(namespace, key);
    const what = describe(namespace, key);
    const { connection, keys, clock } = this.#context;
    const fields = await connection.run(`records.get: ${what}`, (client) =>
      client.hmget(keys.record(namespace, key), ...FIELDS),
    );
    const decoded = decodeRecordFields(what, fields);
    return decoded !== undefined && isLive(decoded, clock.now())
      ? storedRecord<T>(key, decoded)
      : undefined;
  }

  async set<T>(
    namespace: string,
    key: string,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T>> {
    return (await this.#write<T>('set', namespace, key, value, '', options)) as StoredRecord<T>;
  }

  compareAndSet<T>(
    namespace: string,
    key: string,
    expectedVersion: number,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T> | undefined> {
    checkVersion(expectedVersion);
    return this.#write<T>('compareAndSet', namespace, key, value, String(expectedVersion), options);
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    checkRecordKey(namespace, key);
    const { connection, keys, clock } = this.#context;
    const deleted = await connection.run(`records.delete: ${describe(namespace, key)}`, (client) =>
      runScript(
        client,
        'vigilRecordDelete',
        [keys.record(namespace, key), keys.recordIndex(namespace)],
        [key, String(clock.now())],
      ),
    );
    return deleted === 1;
  }

  async list<T = unknown>(
    namespace: string,
    prefix: string,
    options?: { readonly limit?: number; readonly cursor?: string },
  ): Promise<RecordPage<T>> {
    const limit = checkListArguments(namespace, prefix, options?.limit);
    const cursor = options?.cursor;
    if (cursor !== undefined && typeof cursor !== 'string') {
      throw new StoreError('STORE_INVALID_ARGUMENT', 'cursor should be the string list() returned');
    }
    const { connection, keys, clock } = this.#context;
    const index = keys.recordIndex(namespace);
    const max = prefix === '' ? '+' : Buffer.concat([Buffer.from(`(${prefix}`), TOP]);
    let min = cursor !== undefined && cursor >= prefix ? `(${cursor}` : `[${prefix}`;
    const records: Array<StoredRecord<T>> = [];
    const what = `records.list('${namespace}')`;
    for (;;) {
      const want = limit + 1 - records.length;
      const page = await connection.run(what, async (client) => {
        const members = await client.zrangebylex(index, min, max, 'LIMIT', 0, want);
        const pipeline = client.pipeline();
        for (const member of members) pipeline.hmget(keys.record(namespace, member), ...FIELDS);
        return { members, fields: members.length === 0 ? [] : await pipeline.exec() };
      });
      const now = clock.now();
      const stale: string[] = [];
      page.members.forEach((member, i) => {
        const [error, fields] = page.fields?.[i] ?? [null, null];
        if (error) throw toStoreError(what, error);
        const decoded = decodeRecordFields(
          describe(namespace, member),
          (fields ?? []) as Array<string | null>,
        );
        if (decoded === undefined || !isLive(decoded, now)) stale.push(member);
        else records.push(storedRecord<T>(member, decoded));
      });
      if (stale.length > 0) await this.#prune(namespace, stale);
      if (records.length > limit || page.members.length < want) break;
      min = `(${page.members.at(-1) as string}`;
    }
    if (records.length <= limit) return { records };
    const page = records.slice(0, limit);
    return { records: page, cursor: (page.at(-1) as StoredRecord<T>).key };
  }

  /** Drops index entries of records that are gone and records whose TTL has passed. */
  async sweep(): Promise<number> {
    const { connection, keys } = this.#context;
    const namespaces = await connection.run('records sweep', (client) =>
      client.smembers(keys.recordNamespaces()),
    );
    let removed = 0;
    for (const namespace of namespaces) {
      let cursor = '0';
      do {
        const [next, entries] = await connection.run('records sweep', (client) =>
          client.zscan(keys.recordIndex(namespace), cursor, 'COUNT', PRUNE_BATCH),
        );
        cursor = next;
        const members = entries.filter((_, i) => i % 2 === 0);
        if (members.length > 0) removed += await this.#prune(namespace, members);
      } while (cursor !== '0');
    }
    return removed;
  }

  async #prune(namespace: string, members: readonly string[]): Promise<number> {
    const { connection, keys, clock } = this.#context;
    const removed = await connection.run(`records.list('${namespace}')`, (client) =>
      runScript(
        client,
        'vigilRecordPrune',
        [keys.recordIndex(namespace), ...members.map((member) => keys.record(namespace, member))],
        [String(clock.now()), ...members],
      ),
    );
    return Number(removed);
  }

  async #write<T>(
    verb: string,
    namespace: string,
    key: string,
    value: T,
    expected: string,
    options: RecordWriteOptions | undefined,
  ): Promise<StoredRecord<T> | undefined> {
    const { json, ttl } = checkRecordWrite(namespace, key, value, options);
    const { connection, keys, clock } = this.#context;
    const now = clock.now();
    const expiresAt = ttl === undefined ? undefined : now + ttl;
    const version = await connection.run(`records.${verb}: ${describe(namespace, key)}`, (client) =>
      runScript(
        client,
        'vigilRecordWrite',
        [keys.record(namespace, key), keys.recordIndex(namespace), keys.recordNamespaces()],
        [
          key,
          json,
          String(now),
          expiresAt === undefined ? '' : String(expiresAt),
          ttl === undefined ? '' : collectAfter(ttl),
          expected,
          namespace,
        ],
      ),
    );
    if (version === null) return undefined;
    return storedRecord<T>(key, { value: JSON.parse(json), version: Number(version), expiresAt });
  }
}

function describe(namespace: string, key: string): string {
  return `record '${key}' of '${namespace}'`;
}
