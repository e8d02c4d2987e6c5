import type { Corrupter } from '@vigil/storage/testing';
import { raw } from './postgres.js';

/**
 * Writes malformed data into a store's schema with a raw `pg` connection, behind its back: JSON
 * text that does not parse, a JSONB value of the wrong shape, a token that is not positive.
 */
export function postgresCorrupter(schema: string): Corrupter {
  const s = `"${schema}"`;
  return {
    record: async (namespace, key) => {
      await raw(`UPDATE ${s}.records SET value = '{"truncated' WHERE namespace = $1 AND key = $2`, [
        namespace,
        key,
      ]);
    },
    deadLetter: async (id) => {
      await raw(`UPDATE ${s}.dead_letters SET error = '"not an object"' WHERE id = $1`, [id]);
    },
    idempotency: async (key) => {
      await raw(`UPDATE ${s}.idempotency_keys SET value = 'undefined' WHERE key = $1`, [key]);
    },
    lease: async (name) => {
      await raw(`UPDATE ${s}.leases SET token = -1 WHERE name = $1`, [name]);
    },
    series: async (metric) => {
      await raw(`UPDATE ${s}.series SET labels = '{"host": 7}' WHERE metric = $1`, [metric]);
    },
  };
}
