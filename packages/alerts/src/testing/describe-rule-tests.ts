import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRuleTests } from './run-rule-tests.js';

/**
 * Declares one vitest test per Prometheus rule unit-test file (the `promtool test rules` format),
 * each run through Vigil's evaluator by `runRuleTests`; a test fails with promtool's words for
 * every check that did not hold.
 *
 * ```ts
 * describeRuleTests('alert rules', ['rules/api.test.yml', 'rules/jobs.test.yml']);
 * ```
 */
export function describeRuleTests(
  name: string,
  files: readonly string[],
  options: { timeout?: number } = {},
): void {
  describe(name, () => {
    for (const file of files) {
      it(
        basename(file),
        async () => {
          const result = await runRuleTests(file);
          expect(result.failures.join('\n\n')).toBe('');
        },
        options.timeout,
      );
    }
  });
}
