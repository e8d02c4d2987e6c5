import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Corrupter } from '@vigil/storage/testing';
import Database from 'better-sqlite3';

/** A fresh directory for one test's database file; `remove()` deletes it. */
export function tempDatabase(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
  return {
    path: join(dir, 'store.db'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Writes garbage into the store's file through a separate better-sqlite3 connection, behind the
 * store's back: invalid JSON into JSON columns, text into number columns.
 */
export function sqliteCorrupter(path: string): Corrupter {
  const run = (sql: string, ...params: unknown[]) => {
    const db = new Database(path, { timeout: 5_000 });
    try {
      const changes = db.prepare(sql).run(...params).changes;
      if (changes === 0) throw new Error(`nothing to corrupt: ${sql} ${JSON.stringify(params)}`);
    } finally {
      db.close();
    }
  };
  return {
    record: async (namespace, key) =>
      run(
        "UPDATE vigil_records SET value = '{not json' WHERE namespace = ? AND key = ?",
        namespace,
        key,
      ),
    deadLetter: async (id) =>
      run(`UPDATE vigil_dead_letters SET letter = '{"id":"x","queue":7}' WHERE id = ?`, id),
    idempotency: async (key) =>
      run("UPDATE vigil_idempotency SET value = 'undefined' WHERE key = ?", key),
    lease: async (name) => run("UPDATE vigil_leases SET token = 'garbage' WHERE name = ?", name),
    series: async (metric) =>
      run('UPDATE vigil_series SET labels = \'["not", "labels"\' WHERE metric = ?', metric),
  };
}
