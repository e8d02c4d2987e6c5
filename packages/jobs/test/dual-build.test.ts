import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after `pnpm build` (turbo's test task depends on build).
const require = createRequire(import.meta.url);
type Jobs = typeof import('../src/index.js');

/** Runs a job that succeeds and one that is dead-lettered, and answers what a user would see. */
async function exercise(lib: Jobs): Promise<unknown[]> {
  const jobs = new lib.JobRunner({
    types: {
      double: { handler: (n: number) => n * 2 },
      reject: {
        handler: () => {
          throw new lib.UnrecoverableError('bad input');
        },
      },
    },
  });
  const doubled = await jobs.run('double', 21).result;
  const failed = await jobs.run('reject', undefined).result.catch((e: { code: string }) => e.code);
  const letters = await jobs.deadLetters.count();
  const stats = jobs.stats();
  const report = await jobs.close();
  return [doubled, failed, letters, stats['double']?.completed, jobs.backend, report];
}

describe('the built package', () => {
  it('behaves the same through require and import', async () => {
    const cjs = require('@vigil/jobs') as Jobs;
    const esm = (await import('@vigil/jobs')) as unknown as Jobs;
    expect(typeof cjs.JobRunner).toBe('function');
    expect(cjs.JobRunner).not.toBe(esm.JobRunner);
    const [fromCjs, fromEsm] = await Promise.all([exercise(cjs), exercise(esm)]);
    expect(fromCjs).toEqual(fromEsm);
    expect(fromEsm).toEqual([
      42,
      'UNRECOVERABLE',
      1,
      1,
      { name: 'memory', durable: false, up: true },
      { dropped: 0, kept: 0, aborted: 0 },
    ]);
  });

  it('loads the sqlite, bullmq and testing entry points both ways', async () => {
    const cjs = require('@vigil/jobs/sqlite') as typeof import('../src/sqlite/index.js');
    const esm = await import('@vigil/jobs/sqlite');
    expect(typeof cjs.sqliteBackend).toBe('function');
    expect(cjs.sqliteBackend).not.toBe(esm.sqliteBackend);
    // better-sqlite3 is loaded when a runner opens the backend, not at import.
    expect(esm.sqliteBackend({ path: 'never-opened.db' })).toMatchObject({
      name: 'sqlite',
      durable: true,
    });
    const bullmqCjs = require('@vigil/jobs/bullmq') as typeof import('../src/bullmq/index.js');
    const bullmqEsm = await import('@vigil/jobs/bullmq');
    expect(bullmqCjs.bullmqBackend).not.toBe(bullmqEsm.bullmqBackend);
    // No connection until a runner opens it.
    expect(bullmqEsm.bullmqBackend({ url: 'redis://127.0.0.1:1' })).toMatchObject({
      name: 'bullmq',
      durable: true,
      shared: true,
    });
    const testing = await import('@vigil/jobs/testing');
    expect(typeof testing.describeJobBackendContract).toBe('function');
  });

  it("recognises the other build's errors by class: VigilError and the very subclass", async () => {
    const cjs = require('@vigil/jobs') as Jobs;
    const esm = (await import('@vigil/jobs')) as unknown as Jobs;
    const { VigilError } = await import('@vigil/core');
    // Thrown by the CJS build itself, caught by code written against the ESM one.
    const jobs = new cjs.JobRunner({ types: { email: { handler: () => {} } } });
    let thrown: unknown;
    try {
      jobs.run('emial' as 'email', undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(esm.UnknownJobTypeError);
    expect(thrown).toBeInstanceOf(cjs.UnknownJobTypeError);
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).not.toBeInstanceOf(esm.RunnerClosedError);
    expect((thrown as { code: string }).code).toBe('UNKNOWN_JOB_TYPE');

    const missing = await jobs.deadLetters.replay('nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(esm.DeadLetterNotFoundError);
    expect(missing).not.toBeInstanceOf(esm.UnknownJobTypeError);

    await jobs.close();
    let closed: unknown;
    try {
      jobs.run('email', undefined);
    } catch (error) {
      closed = error;
    }
    expect(closed).toBeInstanceOf(esm.RunnerClosedError);
    // And the other way: made by the ESM build, recognised by the CJS one.
    expect(new esm.JobCancelledError('job-1', true)).toBeInstanceOf(cjs.JobCancelledError);
  });
});
