import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, inject, it } from 'vitest';
import { deleteKeys } from './support/bullmq.js';

const PACKAGE = join(import.meta.dirname, '..');

// The README's examples run against the built package, as a user would run them
// (`pnpm turbo run build --filter=@vigil/jobs...` first). `runReadmeScript` counts the ```ts and
// ```js blocks; a block that only shows a fragment is marked ```ts fragment, which it skips.
const BLOCKS = {
  example: 0,
  idempotency: 1,
  deadLetters: 2,
  sqlite: 3,
  bullmq: 4,
  watching: 5,
  testing: 6,
} as const;

describe('README', () => {
  it('runs every block meant to run: each is tested here, fragments are marked', () => {
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const runnable = [...readme.matchAll(/```(ts|js)\n/g)].length;
    expect(runnable).toBe(Object.keys(BLOCKS).length);
    expect(readme).toContain('```ts fragment\n');
  });

  it('the example runs an export with progress, a flaky quote with retries and a bad email', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: BLOCKS.example });
    const lines = printed.split('\n');
    for (const line of [
      'export: 33% (100 of 300 rows)',
      'export: 67% (200 of 300 rows)',
      'export: 100% (300 of 300 rows)',
      'quote: attempt 2 in 50 ms, after: partner unavailable (attempt 1)',
      'quote: attempt 3 in 100 ms, after: partner unavailable (attempt 2)',
      "{ symbol: 'ACME', price: 42 } 300",
      'UNRECOVERABLE: not an address: ada.example.com',
      "[ [ 'ada.example.com', 1, 'unrecoverable' ] ]",
      'export: 1 completed, 0 failed attempts',
      'quote: 1 completed, 2 failed attempts',
      'email: 0 completed, 1 failed attempts',
      '  \'vigil_jobs_total{type="quote",outcome="completed"} 1\',',
      '  \'vigil_jobs_total{type="quote",outcome="failed"} 2\',',
      '  \'vigil_jobs_total{type="quote",outcome="retried"} 2\',',
      '{ dropped: 0, kept: 0, aborted: 0 }',
    ]) {
      expect(lines).toContain(line);
    }
    // What the README shows after the example is what it prints after the progress and retries.
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const shown =
      /It prints the progress and the retries as they happen, then:\n\n```\n([\s\S]*?)```/.exec(
        readme,
      )?.[1];
    expect(shown).toBeDefined();
    expect(printed.endsWith(shown as string)).toBe(true);
  });

  it('the idempotency example runs the handler once for two calls with one key', async () => {
    await expect(runReadmeScript(PACKAGE, { block: BLOCKS.idempotency })).resolves.toBe(
      'true charged order-42 (1) charged order-42 (1)\n',
    );
  });

  it('the dead-letter example keeps the failed job, then replays it under its id', async () => {
    await expect(runReadmeScript(PACKAGE, { block: BLOCKS.deadLetters })).resolves.toBe(
      'partner down\n7 partner down attempts\nsynced 7 0\n',
    );
  });

  it('the SQLite example keeps a job at close and runs it in the next runner on the file', async () => {
    await expect(runReadmeScript(PACKAGE, { block: BLOCKS.sqlite })).resolves.toBe(
      '{ dropped: 0, kept: 1, aborted: 0 }\nsent to ada@example.com\n{ queued: 0, running: 0 }\n',
    );
  });

  it('the BullMQ example runs a job submitted by one runner in another, through real Redis', async () => {
    const env = { REDIS_URL: inject('redisUrl') };
    try {
      await expect(runReadmeScript(PACKAGE, { block: BLOCKS.bullmq, env })).resolves.toBe(
        "cat.webp\n{ name: 'bullmq', durable: true, up: true }\n",
      );
    } finally {
      await deleteKeys(env.REDIS_URL, 'readme');
    }
  });

  it('the watching example fails the health check and lists dead letters over HTTP', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: BLOCKS.watching });
    const [health, http] = printed.trimEnd().split('\n');
    expect(health).toBe(
      'degraded fail report: 100% of the last 10 attempts failed (fail above 50%); last error: no data',
    );
    expect(http).toBe('200 2 no data true');
  });

  it('the testing example moves a retry on with a manual clock', async () => {
    await expect(runReadmeScript(PACKAGE, { block: BLOCKS.testing })).resolves.toBe(
      'pending\ndone at attempt 2\n',
    );
  });
});
