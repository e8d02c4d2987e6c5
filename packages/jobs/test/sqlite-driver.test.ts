import { manualClock } from '@vigil/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { JobBackendError } from '../src/index.js';
import { sqliteBackend } from '../src/sqlite/index.js';
import { recordingContext } from './support/sqlite-files.js';

vi.mock('better-sqlite3', () => {
  throw Object.assign(new Error("Cannot find package 'better-sqlite3'"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
});

describe('sqliteBackend without better-sqlite3', () => {
  it('imports and makes a backend; open() fails with JobBackendError saying what to install', async () => {
    const backend = sqliteBackend({ path: 'never-opened.db' });
    const error = await Promise.resolve(backend.open(recordingContext(manualClock()))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobBackendError);
    expect((error as Error).message).toMatch(
      /sqliteBackend needs better-sqlite3, an optional peer dependency of @vigil\/jobs: install it/,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
