import { z } from 'zod';
import { checkVersion } from '../adapter/check-arguments.js';
import { decodeJson } from '../adapter/decode.js';
import {
  checkListArguments,
  checkRecordKey,
  checkRecordWrite,
  type RecordWrite,
} from '../adapter/record-arguments.js';
import { storedRecord } from '../adapter/stored-record.js';
import { StoreError } from '../errors.js';
import type { RecordPage, RecordStore, RecordWriteOptions, StoredRecord } from '../record-store.js';

interface Entry {
  readonly namespace: string;
  readonly key: string;
  /** `{"value":…,"version":n,"expiresAt"?:ms}` as JSON text, decoded on every read. */
  text: string;
}

const recordSchema = z.object({
  value: z.unknown().refine((value) => value !== undefined, 'value is missing'),
  version: z.number().int().positive(),
  expiresAt: z.number().finite().optional(),
});
type Decoded = z.infer<typeof recordSchema>;

/**
 * `RecordStore` in memory. Values are kept as JSON text (so callers never share objects with the
 * store, and a read checks what it finds). Bounded by `maxRecords`: writing a new key into a full
 * store first removes expired records, then evicts the least recently written one (counted in
 * `evicted`).
 */
export class MemoryRecords implements RecordStore {
  /** Write order (oldest first), keyed by `namespace.length:namespace key`. */
  readonly #order = new Map<string, Entry>();
  readonly #namespaces = new Map<string, Map<string, Entry>>();
  readonly #clock: { now(): number };
  readonly #maxRecords: number;
  readonly #assertOpen: () => void;
  #evicted = 0;

  constructor(clock: { now(): number }, maxRecords: number, assertOpen: () => void) {
    this.#clock = clock;
    this.#maxRecords = maxRecords;
    this.#assertOpen = assertOpen;
  }

  /** Records held, expired ones not yet swept included. */
  get size(): number {
    return this.#order.size;
  }

  /** Records evicted by the `maxRecords` cap since the store was created. */
  get evicted(): number {
    return this.#evicted;
  }

  async get<T = unknown>(namespace: string, key: string): Promise<StoredRecord<T> | undefined> {
    this.#assertOpen();
    checkRecordKey(namespace, key);
    const entry = this.#namespaces.get(namespace)?.get(key);
    const live = entry === undefined ? undefined : this.#live(entry);
    return live === undefined ? undefined : storedRecord<T>(key, live);
  }

  async set<T>(
    namespace: string,
    key: string,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T>> {
    this.#assertOpen();
    const write = checkRecordWrite(namespace, key, value, options);
    const current = this.#current(namespace, key);
    return this.#write(namespace, key, (current?.version ?? 0) + 1, write);
  }

  async compareAndSet<T>(
    namespace: string,
    key: string,
    expectedVersion: number,
    value: T,
    options?: RecordWriteOptions,
  ): Promise<StoredRecord<T> | undefined> {
    this.#assertOpen();
    checkVersion(expectedVersion);
    const write = checkRecordWrite(namespace, key, value, options);
    const current = this.#current(namespace, key);
    if ((current?.version ?? 0) !== expectedVersion) return undefined;
    return this.#write(namespace, key, expectedVersion + 1, write);
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    this.#assertOpen();
    checkRecordKey(namespace, key);
    const entry = this.#namespaces.get(namespace)?.get(key);
    if (entry === undefined) return false;
    // A corrupt record is removed too (that is how it gets repaired); it counts as live.
    let live = true;
    try {
      live = this.#live(entry) !== undefined;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
    }
    this.#remove(entry);
    return live;
  }

  async list<T = unknown>(
    namespace: string,
    prefix: string,
    options?: { readonly limit?: number; readonly cursor?: string },
  ): Promise<RecordPage<T>> {
    this.#assertOpen();
    const limit = checkListArguments(namespace, prefix, options?.limit);
    const cursor = options?.cursor;
    const entries = this.#namespaces.get(namespace);
    if (entries === undefined) return { records: [] };
    const keys = [...entries.keys()]
      .filter((key) => key.startsWith(prefix) && (cursor === undefined || key > cursor))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const records: Array<StoredRecord<T>> = [];
    for (const key of keys) {
      const live = this.#live(entries.get(key) as Entry);
      if (live === undefined) continue;
      if (records.length === limit)
        return { records, cursor: (records.at(-1) as StoredRecord).key };
      records.push(storedRecord<T>(key, live));
    }
    return { records };
  }

  /** Removes expired records; returns how many. */
  sweep(): number {
    let removed = 0;
    const now = this.#clock.now();
    for (const entry of this.#order.values()) {
      try {
        const decoded = decodeJson('a record', entry.text, recordSchema);
        if (decoded.expiresAt === undefined || decoded.expiresAt > now) continue;
      } catch {
        continue; // corrupt records stay until read (rejected) or deleted
      }
      this.#remove(entry);
      removed++;
    }
    return removed;
  }

  /** Test hook: replaces the stored text of a record. */
  overwrite(namespace: string, key: string, text: string): void {
    const entry = this.#namespaces.get(namespace)?.get(key);
    if (entry === undefined) throw new Error(`no record ${namespace}/${key} to corrupt`);
    entry.text = text;
  }

  #current(namespace: string, key: string): Decoded | undefined {
    const entry = this.#namespaces.get(namespace)?.get(key);
    return entry === undefined ? undefined : this.#live(entry);
  }

  #write<T>(namespace: string, key: string, version: number, write: RecordWrite): StoredRecord<T> {
    const expiresAt = write.ttl === undefined ? undefined : this.#clock.now() + write.ttl;
    const text = `{"value":${write.json},"version":${version}${expiresAt === undefined ? '' : `,"expiresAt":${expiresAt}`}}`;
    const id = `${namespace.length}:${namespace}${key}`;
    let entries = this.#namespaces.get(namespace);
    const existing = entries?.get(key);
    if (existing !== undefined) this.#order.delete(id);
    else this.#makeRoom();
    if (entries === undefined) {
      entries = new Map();
      this.#namespaces.set(namespace, entries);
    }
    const entry: Entry = { namespace, key, text };
    entries.set(key, entry);
    this.#order.set(id, entry);
    const decoded = decodeJson(`record '${key}' of '${namespace}'`, text, recordSchema);
    return storedRecord<T>(key, decoded);
  }

  #makeRoom(): void {
    if (this.#order.size < this.#maxRecords) return;
    this.sweep();
    for (const entry of this.#order.values()) {
      if (this.#order.size < this.#maxRecords) return;
      this.#remove(entry);
      this.#evicted++;
    }
  }

  #live(entry: Entry): Decoded | undefined {
    const decoded = decodeJson(
      `record '${entry.key}' of '${entry.namespace}'`,
      entry.text,
      recordSchema,
    );
    if (decoded.expiresAt !== undefined && decoded.expiresAt <= this.#clock.now()) return undefined;
    return decoded;
  }

  #remove(entry: Entry): void {
    this.#order.delete(`${entry.namespace.length}:${entry.namespace}${entry.key}`);
    const entries = this.#namespaces.get(entry.namespace);
    entries?.delete(entry.key);
    if (entries?.size === 0) this.#namespaces.delete(entry.namespace);
  }
}
