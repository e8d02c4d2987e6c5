import { type ManualClock, manualClock } from '@vigil/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AttemptRecord,
  type JobBackend,
  JobBackendError,
  type RecoveredJob,
  type StoredJob,
} from '../src/index.js';
import { type SqliteBackendOptions, sqliteBackend } from '../src/sqlite/index.js';
import {
  Database,
  nextTurns,
  recordingContext,
  removeTempDatabases,
  tempDatabase,
} from './support/sqlite-files.js';

let clock: ManualClock;
let path: string;
const open: JobBackend[] = [];
const databases: InstanceType<typeof Database>[] = [];

beforeEach(() => {
  clock = manualClock();
  path = tempDatabase();
});

afterEach(async () => {
  for (const backend of open.splice(0)) await backend.close();
  for (const db of databases.splice(0)) if (db.open) db.close();
  removeTempDatabases();
});

/** A new job as the runner hands it to `add`. */
function job(id: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    type: 'email',
    payload: { to: `${id}@example.com` },
    priority: 2,
    enqueuedAt: clock.now(),
    runAt: clock.now(),
    attempts: 0,
    previousDelay: 0,
    history: [],
    idempotencyKey: undefined,
    replays: 0,
    ...overrides,
  };
}

/** Opens a backend on the test's file (or `options`), answering it with what it recovered. */
async function opened(options: Partial<SqliteBackendOptions> = {}) {
  const backend = sqliteBackend({ path, timers: clock, ...options } as SqliteBackendOptions);
  open.push(backend);
  const context = recordingContext(clock);
  const recovered = await backend.open(context);
  return { backend, recovered, reports: context.reports };
}

/** Closes `backend` and opens the file again: what a restart finds. */
async function reopened(backend: JobBackend): Promise<readonly RecoveredJob[]> {
  await backend.close();
  const next = await opened();
  return next.recovered;
}

describe('sqliteBackend: storing jobs', () => {
  it('opens an empty file, then keeps what was added across a close and a reopen', async () => {
    const { backend, recovered } = await opened();
    expect(recovered).toEqual([]);
    const history: AttemptRecord[] = [
      { attempt: 1, startedAt: 5, duration: 2, error: { message: 'boom', name: 'Error' } },
    ];
    const stored = [
      job('a'),
      job('b', {
        type: 'report',
        payload: [1, 'two', { three: null }],
        priority: 1000,
        runAt: clock.now() + 5_000,
        attempts: 1,
        previousDelay: 250,
        history,
        idempotencyKey: 'order-7',
        replays: 2,
      }),
      job('c', { payload: undefined }),
    ];
    await Promise.all(stored.map((each) => backend.add(each)));
    const after = await reopened(backend);
    expect(after).toEqual(stored.map((each) => ({ ...each, leaseUntil: undefined })));
  });

  it('resolves an add only once its job is committed', async () => {
    const { backend } = await opened({ path: undefined, database: walDatabase() });
    const reader = new Database(path);
    const count = () => reader.prepare('SELECT count(*) AS n FROM vigil_jobs').get();
    let acknowledged = false;
    const added = backend.add(job('a'))?.then(() => {
      acknowledged = true;
    });
    expect(count()).toEqual({ n: 0 });
    expect(acknowledged).toBe(false);
    await added;
    expect(count()).toEqual({ n: 1 });
    reader.close();
  });

  it('group commit: the adds of one turn of the event loop are one transaction', async () => {
    const db = walDatabase();
    const commits = countTransactions(db);
    const { backend } = await opened({ path: undefined, database: db });
    commits.count = 0;
    const adds = [];
    for (let i = 0; i < 500; i++) adds.push(backend.add(job(`job-${i}`)));
    await Promise.all(adds);
    expect(commits.count).toBe(1);
    // The starts and completions of one turn fold into the next one.
    for (let i = 0; i < 500; i++) backend.started(`job-${i}`);
    for (let i = 0; i < 250; i++) backend.finished(`job-${i}`);
    await nextTurns();
    expect(commits.count).toBe(2);
  });

  it('group commit: a batch that reaches batchSize is committed at once', async () => {
    const db = walDatabase();
    const commits = countTransactions(db);
    const { backend } = await opened({ path: undefined, database: db, batchSize: 10 });
    commits.count = 0;
    const adds = [];
    for (let i = 0; i < 25; i++) adds.push(backend.add(job(`job-${i}`)));
    expect(commits.count).toBe(2);
    await Promise.all(adds);
    expect(commits.count).toBe(3);
    expect(await reopenedDatabase(backend, db)).toHaveLength(25);
  });

  it('records a start with its lease, a retry with its new state, and forgets a finished job', async () => {
    const { backend } = await opened({ lease: '10s' });
    await Promise.all(['a', 'b', 'c'].map((id) => backend.add(job(id))));
    const startedAt = clock.now();
    backend.started('a');
    backend.started('b');
    backend.started('c');
    clock.advance(100);
    const record: AttemptRecord = {
      attempt: 1,
      startedAt,
      duration: 100,
      error: { message: 'timeout', code: 'TIMEOUT' },
    };
    backend.retrying(
      job('b', {
        attempts: 1,
        runAt: clock.now() + 2_000,
        previousDelay: 2_000,
        history: [record],
      }),
    );
    backend.finished('c');
    const after = await reopened(backend);
    expect(after.map((each) => each.id)).toEqual(['a', 'b']);
    expect(after[0]).toMatchObject({ attempts: 0, leaseUntil: startedAt + 10_000 });
    expect(after[1]).toMatchObject({
      attempts: 1,
      runAt: startedAt + 2_100,
      previousDelay: 2_000,
      history: [record],
      leaseUntil: undefined,
    });
  });

  it('a job started again after its retry is running, with the retry state', async () => {
    const { backend } = await opened({ lease: 1_000 });
    await backend.add(job('a'));
    backend.started('a');
    backend.retrying(job('a', { attempts: 1, previousDelay: 0 }));
    backend.started('a');
    const [after] = await reopened(backend);
    expect(after).toMatchObject({ id: 'a', attempts: 1, leaseUntil: clock.now() + 1_000 });
  });

  it('renews the lease of a running job past half its lease, with one timer', async () => {
    const { backend } = await opened({ lease: 1_000 });
    await Promise.all([backend.add(job('long')), backend.add(job('short'))]);
    const start = clock.now();
    backend.started('long');
    backend.started('short');
    await nextTurns();
    clock.advance(250);
    backend.finished('short');
    clock.advance(350);
    await nextTurns();
    const [after, ...rest] = await reopened(backend);
    expect(rest).toEqual([]);
    // Checked every 250 ms; renewed at 500 ms, when half the lease was left.
    expect(after).toMatchObject({ id: 'long', leaseUntil: start + 500 + 1_000 });
  });

  it('answers running jobs with leaseUntil at open; attempts grow only on a retry', async () => {
    const { backend } = await opened({ lease: '30s' });
    await backend.add(job('interrupted', { attempts: 2, previousDelay: 400 }));
    backend.started('interrupted');
    const leaseUntil = clock.now() + 30_000;
    const [after] = await reopened(backend);
    expect(after).toMatchObject({ id: 'interrupted', attempts: 2, leaseUntil });
  });

  it('a finish in the batch of the insert cancels both; a job replayed under a finished id is stored again', async () => {
    const { backend } = await opened();
    const cancelled = backend.add(job('quick'));
    backend.finished('quick');
    await expect(cancelled).resolves.toBeUndefined();
    await backend.add(job('replayed'));
    backend.finished('replayed');
    const again = backend.add(job('replayed', { replays: 1 }));
    await again;
    const after = await reopened(backend);
    expect(after.map((each) => [each.id, each.replays])).toEqual([['replayed', 1]]);
  });

  it('refuses a second job under the id of a stored one, alone', async () => {
    const { backend } = await opened();
    await backend.add(job('a'));
    const other = backend.add(job('b'));
    await expect(backend.add(job('a'))).rejects.toThrow(/a job with id "a" is stored already/);
    await expect(other).resolves.toBeUndefined();
  });

  it('refuses a payload JSON cannot hold, alone', async () => {
    const { backend } = await opened();
    const error = await backend.add(job('big', { payload: { n: 10n } }))?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobBackendError);
    expect((error as Error).message).toMatch(/payload of the 'email' job big cannot be serialised/);
    await expect(backend.add(job('fn', { payload: () => {} }))).rejects.toThrow(/got a function/);
    await backend.add(job('fine'));
    expect((await reopened(backend)).map((each) => each.id)).toEqual(['fine']);
  });
});

describe('sqliteBackend: one runner per file', () => {
  it('refuses a second backend on an open file with JobBackendError; the file is free again after close', async () => {
    const first = await opened();
    const second = sqliteBackend({ path });
    open.push(second);
    const error = await Promise.resolve(second.open(recordingContext(clock))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobBackendError);
    expect((error as JobBackendError).code).toBe('JOB_BACKEND_FAILED');
    expect((error as Error).message).toMatch(/is in use by another connection/);
    expect((error as Error).message).toMatch(/exclusive lock/);
    await first.backend.close();
    const third = await opened();
    expect(third.recovered).toEqual([]);
  });

  it('keeps other connections out of the file while open (locking_mode = EXCLUSIVE)', async () => {
    const { backend } = await opened();
    await backend.add(job('a'));
    const reader = new Database(path, { timeout: 0 });
    expect(() => reader.prepare('SELECT count(*) FROM vigil_jobs').get()).toThrow(/locked/);
    reader.close();
  });

  it('refuses a second backend on a database connection already in use', async () => {
    const db = walDatabase();
    await opened({ path: undefined, database: db });
    const second = sqliteBackend({ database: db });
    await expect(second.open(recordingContext(clock))).rejects.toThrow(
      /already uses this database connection/,
    );
  });

  it('refuses open() twice', async () => {
    const { backend } = await opened();
    await expect(backend.open(recordingContext(clock))).rejects.toThrow(
      /open\(\) was called twice/,
    );
  });

  it('fails to open a file that is not a database, or in a missing directory, with JobBackendError', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'not a database, just text that is long enough to have a header');
    await expect(sqliteBackend({ path }).open(recordingContext(clock))).rejects.toThrow(
      /is not an SQLite database or is damaged/,
    );
    const missing = sqliteBackend({ path: `${path}.missing/jobs.db` });
    await expect(missing.open(recordingContext(clock))).rejects.toBeInstanceOf(JobBackendError);
  });

  it('refuses a file written by a newer version of the schema', async () => {
    const { backend } = await opened();
    await backend.close();
    const db = new Database(path);
    db.prepare('INSERT INTO vigil_jobs_schema (version, applied_at) VALUES (99, 0)').run();
    db.close();
    await expect(sqliteBackend({ path }).open(recordingContext(clock))).rejects.toThrow(
      /jobs schema version 99, newer than this @vigil\/jobs supports/,
    );
  });
});

describe('sqliteBackend: close', () => {
  it('commits what is pending, then ignores writes (adds are refused)', async () => {
    const { backend } = await opened();
    const pending = backend.add(job('a'));
    backend.started('a');
    const closing = backend.close();
    backend.finished('a');
    await expect(backend.add(job('late'))).rejects.toThrow(/sqliteBackend is closed/);
    await closing;
    await expect(pending).resolves.toBeUndefined();
    expect(() => backend.started('a')).not.toThrow();
    const next = await opened();
    expect(next.recovered.map((each) => [each.id, each.leaseUntil !== undefined])).toEqual([
      ['a', true],
    ]);
  });

  it('closes the file it opened, not a database passed in', async () => {
    const db = walDatabase();
    const { backend } = await opened({ path: undefined, database: db });
    await backend.add(job('a'));
    await backend.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT id FROM vigil_jobs').all()).toEqual([{ id: 'a' }]);
    db.close();
  });

  it('is idempotent, and works on a backend never opened', async () => {
    const backend = sqliteBackend({ path });
    await backend.close();
    await backend.close();
    await expect(backend.open(recordingContext(clock))).rejects.toThrow(JobBackendError);
  });
});

describe('sqliteBackend: failures', () => {
  it('a failed commit rejects its adds with JobBackendError and reports its other writes', async () => {
    const db = walDatabase();
    const { backend, reports } = await opened({ path: undefined, database: db });
    await backend.add(job('a'));
    db.exec('DROP TABLE vigil_jobs');
    const failed = backend.add(job('b'));
    backend.started('a');
    const error = await failed?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobBackendError);
    expect((error as Error).message).toMatch(/could not commit 1 new job\(s\).*no such table/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(reports).toEqual([
      {
        error: expect.objectContaining({
          code: 'JOB_BACKEND_FAILED',
          message: expect.stringMatching(/could not commit 1 job update/),
        }),
        operation: 'commit job updates',
      },
    ]);
  });

  it('skips and reports malformed rows instead of trusting them; their ids stay taken', async () => {
    const { backend } = await opened();
    await backend.add(job('good'));
    await backend.close();
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO vigil_jobs (id, type, payload, priority, enqueued_at, run_at, attempts, previous_delay, history, idempotency_key, replays, state, lease_until)
       VALUES (?, ?, ?, ?, 0, 0, ?, 0, ?, NULL, 0, ?, ?)`,
    );
    insert.run('bad-json', 'email', '{"to":', 2, 0, '[]', 'queued', null);
    insert.run('bad-priority', 'email', '1', 5_000, 0, '[]', 'queued', null);
    insert.run('bad-attempts', 'email', '1', 2, -1, '[]', 'queued', null);
    insert.run('bad-history', 'email', '1', 2, 0, '[{"attempt":1}]', 'queued', null);
    insert.run('no-lease', 'email', '1', 2, 0, '[]', 'running', null);
    insert.run('', 'email', '1', 2, 0, '[]', 'queued', null);
    insert.run('good', 'email', '1', 2, 0, '[]', 'queued', null);
    db.close();
    const { backend: next, recovered, reports } = await opened();
    expect(recovered.map((each) => each.id)).toEqual(['good']);
    expect(reports.map((each) => each.operation)).toEqual(Array(7).fill('recover job'));
    const messages = reports.map((each) => (each.error as Error).message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/malformed job "bad-json" .*payload is not JSON/),
        expect.stringMatching(/"bad-priority" .*priority is 5000, not an integer from 0 to 1000/),
        expect.stringMatching(/"bad-attempts" .*attempts is -1, not a count/),
        expect.stringMatching(/"bad-history" .*history\[0\] is not an attempt record/),
        expect.stringMatching(/"no-lease" .*running but lease_until is NULL/),
        expect.stringMatching(/id is "", not a non-empty string/),
        expect.stringMatching(/"good" \(row 8\).*another row holds the same id/),
      ]),
    );
    for (const report of reports) expect(report.error).toBeInstanceOf(JobBackendError);
    await expect(next.add(job('bad-json'))).rejects.toThrow(/stored already/);
  });
});

/** A better-sqlite3 connection on the test's file, in WAL mode, as a caller would pass it. */
function walDatabase(): InstanceType<typeof Database> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  databases.push(db);
  return db;
}

/** Counts the write transactions run on `db` (each is one commit). */
function countTransactions(db: InstanceType<typeof Database>): { count: number } {
  const commits = { count: 0 };
  const transaction = db.transaction.bind(db) as (fn: (...args: never[]) => unknown) => unknown;
  db.transaction = (fn: (...args: never[]) => unknown) =>
    transaction((...args: never[]) => {
      commits.count++;
      return fn(...args);
    });
  return commits;
}

/** Closes `backend` and reads the jobs another backend finds on `db`. */
async function reopenedDatabase(
  backend: JobBackend,
  db: InstanceType<typeof Database>,
): Promise<readonly RecoveredJob[]> {
  await backend.close();
  const next = await opened({ path: undefined, database: db });
  return next.recovered;
}
