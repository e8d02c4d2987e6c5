import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendContext } from '../../src/index.js';
import type { SqliteDatabase } from '../../src/sqlite/index.js';

const require = createRequire(import.meta.url);

/** A better-sqlite3 statement, as the tests use it. */
export interface TestStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** A better-sqlite3 `Database`, as the tests use it. */
export interface TestDatabase extends SqliteDatabase {
  prepare(source: string): TestStatement;
}

/** better-sqlite3's `Database` constructor, for tests that open the file themselves. */
export const Database = require('better-sqlite3') as new (
  path: string,
  options?: { readonly timeout?: number },
) => TestDatabase;

/** Temporary directories made by `tempDatabase()`, removed by `removeTempDatabases()`. */
const made: string[] = [];

/** A path for a database file in a fresh directory under the OS temp directory. */
export function tempDatabase(): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-jobs-sqlite-'));
  made.push(directory);
  return join(directory, 'jobs.db');
}

/** Removes every directory `tempDatabase()` made (call in `afterEach`, after closing). */
export function removeTempDatabases(): void {
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
}

/** Lets `setImmediate` work (a group commit) and the promise callbacks after it run. */
export async function nextTurns(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A backend context on `clock`, keeping what the backend reports. */
export function recordingContext(clock: BackendContext['clock']): BackendContext & {
  readonly reports: { error: unknown; operation: string }[];
} {
  const reports: { error: unknown; operation: string }[] = [];
  return {
    clock,
    timers: undefined,
    report: (error, operation) => reports.push({ error, operation }),
    reports,
  };
}
