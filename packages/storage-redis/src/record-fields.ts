import { corrupt } from '@vigil/storage/adapter';

/** A record as read back from its hash and checked. */
export interface RecordFields {
  readonly value: unknown;
  readonly version: number;
  readonly expiresAt: number | undefined;
}

/**
 * Checks the fields `value`, `version`, `expiresAt` of a record's hash (`HMGET` order): undefined
 * when the hash does not exist, `STORE_CORRUPT` when any field is not what the store writes.
 */
export function decodeRecordFields(
  what: string,
  fields: ReadonlyArray<string | null>,
): RecordFields | undefined {
  const [value, version, expiresAt] = fields;
  if (value == null && version == null && expiresAt == null) return undefined;
  if (version == null || !/^[1-9]\d{0,15}$/.test(version)) {
    throw corrupt(what, `version should be a positive integer, got ${JSON.stringify(version)}`);
  }
  let expiry: number | undefined;
  if (expiresAt != null) {
    expiry = Number(expiresAt);
    if (expiresAt === '' || !Number.isFinite(expiry)) {
      throw corrupt(
        what,
        `expiresAt should be ms since the epoch, got ${JSON.stringify(expiresAt)}`,
      );
    }
  }
  if (value == null) throw corrupt(what, 'the value is missing');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw corrupt(what, 'the value is not valid JSON', error);
  }
  return { value: parsed, version: Number(version), expiresAt: expiry };
}

/** Whether a decoded record is live at `now`. */
export function isLive(fields: RecordFields, now: number): boolean {
  return fields.expiresAt === undefined || fields.expiresAt > now;
}
