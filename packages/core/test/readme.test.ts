import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

// The README's examples run against the built package, as a user would run them.
describe('README', () => {
  it('the example renders both formats and a snapshot', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 0 });
    expect(printed).toContain(
      'http_requests_total{service="api",method="GET",route="/users/:id",status="200"} 1',
    );
    expect(printed).toContain('queue_depth{service="api"} 3');
    expect(printed).toContain('# EOF');
  });

  it('the register example shows a metric with its second registry’s new defaults', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 1 });
    expect(printed).toContain('requests_total{tenant="b"} 1\n');
  });

  it('the default process metrics example starts and stops', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 2 })).resolves.toBe('');
  });

  it("the package authors' example checks options the one way", async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 3 });
    expect(printed).toBe(
      "30000\nSweeper: unknown option 'intervall'; the options are interval, clock, onError\n",
    );
  });
});
