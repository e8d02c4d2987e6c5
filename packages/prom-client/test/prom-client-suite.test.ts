import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

/**
 * The ratchet: prom-client 15.1.3's own tests (vendor/prom-client-tests, unmodified) run with
 * jest 29 against the built CJS output (dist/index.cjs; build first). 441 of the 445 tests in
 * scope pass; raise PASSING when more do, never lower it. The four that fail compare summary
 * quantiles with prom-client's t-digest's interpolated values (see the README's differences).
 */
const PASSING = 441;
const IN_SCOPE = 445;
const KNOWN_FAILURES = [
  'summary with Prometheus registry global registry with param as object should correctly calculate percentiles when more values are added to the summary',
  'summary with Prometheus registry global registry with param as object should correctly use calculate other percentiles when configured',
  'summary with OpenMetrics registry global registry with param as object should correctly calculate percentiles when more values are added to the summary',
  'summary with OpenMetrics registry global registry with param as object should correctly use calculate other percentiles when configured',
];

interface JestAssertion {
  fullName: string;
  status: 'passed' | 'failed' | 'pending' | 'skipped' | 'todo' | 'disabled';
}

interface JestResult {
  numPassedTests: number;
  numTotalTests: number;
  testResults: { name: string; assertionResults: JestAssertion[] }[];
}

async function runSuite(): Promise<JestResult> {
  // The report goes to a temporary directory; --ci never writes snapshots; nothing lands in the repo.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prom-client-suite-'));
  const output = join(dir, 'jest.json');
  try {
    const jest = join(PACKAGE, 'node_modules', '.bin', 'jest');
    await promisify(execFile)(
      jest,
      ['--config', join(PACKAGE, 'jest.config.cjs'), '--ci', '--json', '--outputFile', output],
      { cwd: PACKAGE, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: unknown) => {
      // jest exits 1 when a test fails: the report says which.
      if ((error as { code?: number }).code !== 1) throw error;
    });
    return JSON.parse(readFileSync(output, 'utf8')) as JestResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("prom-client 15.1.3's own test suite", () => {
  it(`passes at least ${PASSING} of its ${IN_SCOPE} tests in scope`, async () => {
    const result = await runSuite();
    const failed = result.testResults
      .flatMap((file) => file.assertionResults)
      .filter((test) => test.status !== 'passed')
      .map((test) => test.fullName);
    expect(result.numTotalTests).toBe(IN_SCOPE);
    expect(result.numPassedTests).toBeGreaterThanOrEqual(PASSING);
    for (const name of failed) expect(KNOWN_FAILURES).toContain(name);
  }, 240_000);
});
