import type { DeadLetterStore, RecordStore } from '@vigil/storage';
import type { Delivery } from './delivery-queue.js';
import type { LogEntry } from './notification-log.js';
import type { Acknowledgement } from './notifier.js';
import type { SilenceRecord } from './silences.js';

/** The `RecordStore` namespace of the notifier's shared state. */
export const NOTIFY_NAMESPACE = 'vigil-notify';

const SILENCE = 'silence:';
const ACK = 'ack:';
const LOG = 'log:';
const OUTBOX = 'outbox:';

/** How long a notification log entry is kept without a write: Alertmanager's default (120 h). */
const LOG_RETENTION = '120h';

/** A delivery as the outbox keeps it. */
export type OutboxRecord = Omit<Delivery, 'lastError'>;

/**
 * @internal The notifier's state in a `RecordStore`, shared by every instance: silences and
 * acknowledgements (any instance writes them; the leader reads them), the notification log and
 * the outbox (the leader writes them; a new leader takes them over, so that it neither sends
 * again what was sent nor loses what was waiting).
 */
export class NotifierStore {
  readonly #records: RecordStore;
  readonly deadLetters: DeadLetterStore | undefined;

  constructor(records: RecordStore, deadLetters: DeadLetterStore | undefined) {
    this.#records = records;
    this.deadLetters = deadLetters;
  }

  async #list<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    const out: { key: string; value: T }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#records.list<T>(NOTIFY_NAMESPACE, prefix, {
        limit: 10_000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const record of page.records) {
        out.push({ key: record.key.slice(prefix.length), value: record.value });
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    return out;
  }

  async silences(): Promise<SilenceRecord[]> {
    return (await this.#list<SilenceRecord>(SILENCE)).map(({ value }) => value);
  }

  async writeSilence(silence: SilenceRecord): Promise<void> {
    await this.#records.set(NOTIFY_NAMESPACE, SILENCE + silence.id, silence);
  }

  async acknowledgements(): Promise<Map<string, Acknowledgement>> {
    return new Map((await this.#list<Acknowledgement>(ACK)).map(({ key, value }) => [key, value]));
  }

  async writeAcknowledgement(fingerprint: string, ack: Acknowledgement | undefined): Promise<void> {
    if (ack === undefined) await this.#records.delete(NOTIFY_NAMESPACE, ACK + fingerprint);
    else await this.#records.set(NOTIFY_NAMESPACE, ACK + fingerprint, ack);
  }

  /** The log by its entries' keys (`group key|receiver`). */
  async log(): Promise<Map<string, LogEntry>> {
    return new Map(
      (await this.#list<LogEntry & { key: string }>(LOG)).map(({ value }) => [value.key, value]),
    );
  }

  /** `id`: a short digest of `key`, since a record's key is at most 512 characters. */
  async writeLog(id: string, key: string, entry: LogEntry): Promise<void> {
    await this.#records.set(NOTIFY_NAMESPACE, LOG + id, { ...entry, key }, { ttl: LOG_RETENTION });
  }

  async outbox(): Promise<OutboxRecord[]> {
    return (await this.#list<OutboxRecord>(OUTBOX)).map(({ value }) => value);
  }

  async writeOutbox(delivery: OutboxRecord): Promise<void> {
    await this.#records.set(NOTIFY_NAMESPACE, OUTBOX + delivery.id, delivery);
  }

  async deleteOutbox(id: string): Promise<void> {
    await this.#records.delete(NOTIFY_NAMESPACE, OUTBOX + id);
  }
}
