import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

// The README's examples run against the built package, as a user would run them (TypeScript
// blocks transpiled: `using` and the decorators included).
describe('README', () => {
  it('the example times a block, a function, a method and a request, and closes the tracker', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 0 });
    expect(printed).toMatch(/^db;dur=[\d.]+, api;dur=[\d.]+ degrading /);
    expect(printed).toContain('job_duration_seconds_count{job="report",result="success"} 1');
    expect(printed).toContain('job_duration_seconds_count{job="build",result="success"} 1');
    expect(printed).toContain('vigil_performance_trend{operation="GET /users"} 1');
  });

  it('the result example records the failed call as result="error"', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 1 })).resolves.toBe('1\n');
  });

  it('the fingerprint example prints the fingerprint', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 2 })).resolves.toBe(
      'SELECT * FROM users WHERE id IN (?+) AND name = ?\n',
    );
  });
});
