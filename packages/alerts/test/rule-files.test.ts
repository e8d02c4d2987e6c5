import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../src/testing/index.js';

const RULES = join(import.meta.dirname, 'rules');
const FILES = readdirSync(RULES)
  .filter((file) => file.endsWith('.test.yml'))
  .sort();
const run = promisify(execFile);

// The oracle: every file passes Prometheus's own promtool and Vigil's evaluator alike.
describe('Prometheus rule unit-test files, through promtool and through Vigil', () => {
  it('has at least 25 files', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(FILES)('%s passes promtool test rules', async (file) => {
    const { stdout } = await run('promtool', ['test', 'rules', file], { cwd: RULES });
    expect(stdout).toContain('SUCCESS');
  });

  it.each(FILES)('%s passes through Vigil', async (file) => {
    const result = await runRuleTests(join(RULES, file));
    expect(result.failures.join('\n\n')).toBe('');
  });
});
