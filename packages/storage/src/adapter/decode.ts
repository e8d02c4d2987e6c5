import { z } from 'zod';
import type { DeadLetter } from '../dead-letter-store.js';
import { StoreError } from '../errors.js';
import type { Lease } from '../lease-store.js';

/** Labels as stored: an object of strings. */
export const labelsSchema = z.record(z.string(), z.string());

export const deadLetterSchema: z.ZodType<DeadLetter> = z.object({
  id: z.string().min(1),
  queue: z.string().min(1),
  payload: z.unknown(),
  error: z.object({
    message: z.string(),
    name: z.string().optional(),
    code: z.string().optional(),
    stack: z.string().optional(),
  }),
  attempts: z.number().int().nonnegative(),
  failedAt: z.number().finite(),
  metadata: z.record(z.string(), z.unknown()).optional(),
}) as z.ZodType<DeadLetter>;

export const leaseSchema: z.ZodType<Lease> = z.object({
  name: z.string().min(1),
  owner: z.string().min(1),
  token: z.number().int().positive(),
  expiresAt: z.number().finite(),
});

/**
 * Parses `text` read back from a backend as JSON and checks it against `schema`. Anything else is
 * a `STORE_CORRUPT` naming `what` (data read back is never trusted).
 */
export function decodeJson<T>(what: string, text: unknown, schema: z.ZodType<T>): T {
  if (typeof text !== 'string') throw corrupt(what, `expected JSON text, got ${typeof text}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(what, 'not valid JSON', error);
  }
  return checkShape(what, parsed, schema);
}

/** Checks an already-parsed value (a row's columns, a JSONB column) against `schema`. */
export function checkShape<T>(what: string, value: unknown, schema: z.ZodType<T>): T {
  const result = schema.safeParse(value);
  if (!result.success) throw corrupt(what, z.prettifyError(result.error).replace(/\n/g, '; '));
  return result.data;
}

export function corrupt(what: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'STORE_CORRUPT',
    `${what} is corrupt (${detail}): it was not written by this store, or was changed behind its back; remove or repair it`,
    cause === undefined ? undefined : { cause },
  );
}
